package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Bounds of each pod's pool maximum (that minimum <= maximum is checked on {@link RegistrySpec#connectionsPerPod}). */
public class ConnectionsPerPodSpec {
    @JsonPropertyDescription("Smallest pool a pod may run with; when the budget cannot give every pod this much, replicas are capped.")
    @Min(1) @Default("2") public Integer minimum = 2;

    @JsonPropertyDescription("Largest pool a pod may run with.")
    @Min(1) @Default("20") public Integer maximum = 20;
}
