package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** This Registry's part of a database server it shares with other Registries (one budget per server). */
public class ShareSpec {
    @JsonPropertyDescription("Its part of the server's guaranteed connections, relative to the weights of the other Registries on the same server (known by its system identifier). A Registry alone on its server gets the whole budget whatever its weight.")
    @Min(1) @Default("1") public Integer weight = 1;

    @JsonPropertyDescription("Guaranteed connections it asks for at least (its pods' floors come out of them); 0: its weight decides. When the Registries that joined first leave too little, it gets nothing and reports ConnectionBudgetReady=False.")
    @Min(0) @Default("0") public Integer minimum = 0;
}
