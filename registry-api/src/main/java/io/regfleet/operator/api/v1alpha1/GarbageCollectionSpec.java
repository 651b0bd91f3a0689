package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** The registry's online garbage collection: every pod collects, from the database's review queues. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GarbageCollectionSpec {
    /** A duration as the runtime reads it: a number and one unit. */
    public static final String DURATION = "[0-9]+(ms|s|m|h|d)";

    @JsonPropertyDescription("How long a candidate (an unreferenced blob or manifest) waits after the write that left it so, before it may be collected: the window in which a push that saw it may still reference it. A number and one unit (ms, s, m, h, d). Absent: 24h.")
    @Pattern("^" + DURATION + "$")
    public String reviewDelay;

    @JsonPropertyDescription("Manifests no tag, index, subject or tagged referrer holds: off (kept), or a duration after which they are collected (at least the review delay). Absent: off.")
    @Pattern("^(off|" + DURATION + ")$")
    public String untaggedManifests;
}
