package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * HTTPS on the registry API: a certificate Secret of the user's, or one cert-manager issues. The management port
 * (probes, metrics, the pod agent) stays plain HTTP.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.secretName) || has(self.issuerRef)", message = "tls needs secretName, issuerRef or both")
public class TlsSpec {
    @JsonPropertyDescription("A kubernetes.io/tls Secret in this namespace (keys tls.crt, the chain with the server's certificate first, and tls.key). Mounted into the pods, which take a rotated pair without a restart. With issuerRef: the Secret cert-manager writes (absent: <registry>-tls).")
    public String secretName;

    @JsonPropertyDescription("A cert-manager Issuer or ClusterIssuer: the operator asks it for a certificate for the Service's DNS names (and dnsNames), renewed by cert-manager. Needs cert-manager's CRDs in the cluster.")
    public IssuerReference issuerRef;

    @JsonPropertyDescription("With issuerRef: further DNS names of the certificate, e.g. the host an ingress serves the registry on.")
    public List<String> dnsNames;
}
