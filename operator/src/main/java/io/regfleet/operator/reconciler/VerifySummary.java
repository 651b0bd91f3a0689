package io.regfleet.operator.reconciler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The summary line a verify prints ({@code {"verify":{...}}}, README "Verify and import"), the part the operator
 * reports: the run's counts, whether it checked everything, and its failures by kind and digest. Unknown fields are
 * ignored, so a runtime that says more is still read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record VerifySummary(long run, boolean deep, boolean complete, long manifests, long blobs, long failureCount,
                     Map<String, Long> failuresByKind, List<Failure> failures) {
    private static final String PREFIX = "{\"verify\":";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Failure(String kind, String digest, String repository) {
    }

    VerifySummary {
        failuresByKind = failuresByKind == null ? Map.of() : failuresByKind;
        failures = failures == null ? List.of() : failures;
    }

    /** The last summary line in a pod's log; empty when there is none or it does not parse. */
    static Optional<VerifySummary> fromLog(String log) {
        if (log == null) {
            return Optional.empty();
        }
        List<String> lines = log.lines().map(String::strip).filter(line -> line.startsWith(PREFIX)).toList();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode verify = JSON.readTree(lines.getLast()).get("verify");
            return verify == null ? Optional.empty() : Optional.of(JSON.treeToValue(verify, VerifySummary.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
