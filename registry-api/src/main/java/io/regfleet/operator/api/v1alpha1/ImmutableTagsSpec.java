package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Tags of some repositories that never move nor go. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImmutableTagsSpec {
    @JsonPropertyDescription("Repository pattern: * within a path segment, ** across them, ? one character.")
    @Required
    public String repositories;

    @JsonPropertyDescription("Tag pattern, e.g. v*.")
    @Required
    public String tags;
}
