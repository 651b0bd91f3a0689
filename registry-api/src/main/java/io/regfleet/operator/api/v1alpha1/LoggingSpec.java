package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;

/** How the registry pods write their logs. */
public class LoggingSpec {
    /** The log line formats: one JSON object per line for a log pipeline, or text for a person. */
    public enum Format {
        @JsonProperty("json") JSON,
        @JsonProperty("text") TEXT
    }

    @JsonPropertyDescription("json: one JSON object per log line, and one per API request with its method, route, repository, status, bytes, duration, database and storage time, request id, remote address and user; text: the same lines for a person.")
    @Default("json")
    public Format format = Format.JSON;

    /** Whether the pods log JSON (the default, also when the field is absent). */
    public boolean json() {
        return format != Format.TEXT;
    }
}
