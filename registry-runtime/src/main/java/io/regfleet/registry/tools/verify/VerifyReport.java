package io.regfleet.registry.tools.verify;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.registry.metadata.VerifyLedger;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a verify found, as the one summary line it prints ({@link #jsonLine()}): the run's totals (over every process
 * that worked on it), its failures by kind and digest, and this process's share with its time and throughput.
 *
 * @param complete every range of the run was checked (false: stopped, to be continued by the next verify)
 * @param failures up to the configured number listed; {@code failuresByKind} counts them all
 */
public record VerifyReport(long run, boolean resumed, boolean deep, boolean complete, long manifests, long blobs,
                           long manifestBytes, long blobBytes, long failureCount, Map<String, Long> failuresByKind,
                           List<VerifyLedger.Failure> failures, ThisProcess thisProcess) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1024.0 * 1024.0;

    /** What this process checked, in how long. */
    public record ThisProcess(long manifests, long blobs, long bytesHashed, double seconds) {
        @JsonProperty
        public double manifestsPerSecond() {
            return rate(manifests);
        }

        @JsonProperty
        public double blobsPerSecond() {
            return rate(blobs);
        }

        @JsonProperty
        public double mibHashedPerSecond() {
            return rate(bytesHashed / MIB);
        }

        private double rate(double count) {
            return seconds <= 0 ? 0 : Math.round(count / seconds * 10) / 10.0;
        }
    }

    public VerifyReport {
        failuresByKind = Collections.unmodifiableSortedMap(new TreeMap<>(failuresByKind));
        failures = List.copyOf(failures);
    }

    static VerifyReport of(VerifyLedger.Run run, boolean complete, VerifyLedger.Status status, ThisProcess thisProcess) {
        VerifyLedger.Totals manifests = status.totals(VerifyLedger.Kind.MANIFEST);
        VerifyLedger.Totals blobs = status.totals(VerifyLedger.Kind.BLOB);
        return new VerifyReport(run.id(), run.resumed(), run.deep(), complete, manifests.checked(), blobs.checked(),
                manifests.bytes(), blobs.bytes(), status.failureCount(), status.failuresByKind(), status.failures(),
                thisProcess);
    }

    public boolean clean() {
        return complete && failureCount == 0;
    }

    /** The exit status of {@code regfleet verify}: 0 clean, 1 failures found, 3 not complete. */
    public int exitCode() {
        return !complete ? 3 : failureCount == 0 ? 0 : 1;
    }

    /** {@code {"verify":{...}}} on one line, the components in order: what the operator's Job reader and scripts parse. */
    public String jsonLine() {
        try {
            return JSON.writeValueAsString(Map.of("verify", this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
