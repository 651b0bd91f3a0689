package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Who may reach the registry pods: the registry API (5000) anyone, the management port (9000: the pod agent, health and
 * metrics) only the operator's pods and the pods of the namespaces selected here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkPolicySpec {
    @JsonPropertyDescription("Make the NetworkPolicy. False: the operator makes none (and deletes its own).")
    @Default("true")
    public Boolean enabled = true;

    @JsonPropertyDescription("Namespaces whose pods may also reach the management port, e.g. Prometheus' (matchLabels kubernetes.io/metadata.name: monitoring). Absent: only the operator.")
    public LabelSelector metricsNamespaceSelector;

    public boolean active() {
        return !Boolean.FALSE.equals(enabled);
    }
}
