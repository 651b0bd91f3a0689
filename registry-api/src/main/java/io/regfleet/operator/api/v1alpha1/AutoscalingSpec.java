package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** CPU autoscaling of the registry pods (that minReplicas <= maxReplicas is checked on {@link RegistrySpec#autoscaling}). */
public class AutoscalingSpec {
    @JsonPropertyDescription("Fewest pods the autoscaler keeps.")
    @Min(1) @Default("1") public Integer minReplicas = 1;

    @JsonPropertyDescription("Most pods the autoscaler may run; counted in the connection budget and capped by it.")
    @Min(1) @Required public Integer maxReplicas;

    @JsonPropertyDescription("Average CPU utilisation, in percent of the request, that the autoscaler aims for.")
    @Min(1) @Max(100) @Default("75") public Integer targetCPUUtilizationPercentage = 75;
}
