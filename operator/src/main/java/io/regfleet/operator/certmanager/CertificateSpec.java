package io.regfleet.operator.certmanager;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** What to issue, by whom, into which Secret (cert-manager's Certificate spec, in part). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CertificateSpec {
    public String secretName;
    public List<String> dnsNames;
    public Map<String, String> issuerRef;
    public Map<String, Object> privateKey;
}
