package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Bounds of each pod's worker limit (that minimum <= maximum is checked on {@link RegistrySpec#workers}). */
public class WorkersSpec {
    @JsonPropertyDescription("Fewest concurrent request workers per pod.")
    @Min(1) @Default("8") public Integer minimum = 8;

    @JsonPropertyDescription("Most concurrent request workers per pod.")
    @Min(1) @Default("200") public Integer maximum = 200;
}
