package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Of the tags a rule names in the repositories it names: keep the newest N, delete those older than X (with both: beyond N and old). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.keepNewest) || has(self.deleteOlderThan)", message = "a retention rule needs keepNewest, deleteOlderThan or both")
public class RetentionRuleSpec {
    @JsonPropertyDescription("Repository pattern: * within a path segment, ** across them, ? one character.")
    @Required
    public String repositories;

    @JsonPropertyDescription("Tag pattern the rule applies to. Absent: every tag.")
    public String tags;

    @JsonPropertyDescription("Keep this many of the most recently pushed tags the rule names.")
    @Min(0)
    public Integer keepNewest;

    @JsonPropertyDescription("Delete the tags pushed longer ago than this (a number and one unit: ms, s, m, h, d), e.g. 30d.")
    @Pattern("^" + GarbageCollectionSpec.DURATION + "$")
    public String deleteOlderThan;
}
