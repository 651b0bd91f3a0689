package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** Which tags go by age or count, and which may never move or go. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionSpec {
    @JsonPropertyDescription("Retention rules: a repository follows the first rule whose pattern matches it. Tags deleted by retention leave their manifests and blobs to garbage collection.")
    public List<RetentionRuleSpec> rules;

    @JsonPropertyDescription("Tags that never move nor go: a push over one with another manifest, and a delete of one or of its manifest, answer 403 DENIED; retention skips them.")
    public List<ImmutableTagsSpec> immutableTags;

    @JsonIgnore
    public boolean isEmpty() {
        return (rules == null || rules.isEmpty()) && (immutableTags == null || immutableTags.isEmpty());
    }
}
