package io.regfleet.registry.blob;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * What an S3 upload holds, persisted as {@link UploadState#driverState()} so that any replica can continue it:
 * full parts stored as objects {@code part-1..n} (their ETags, in order), then a tail of fewer than {@code partSize}
 * bytes in the object {@code tail-<offset>}. The part size travels with the upload, so replicas configured with
 * another part size still agree on where its bytes are.
 */
record S3UploadProgress(
        @JsonProperty("partSize") long partSize,
        @JsonProperty("parts") List<String> partETags,
        @JsonProperty("tail") long tailSize) {

    private static final ObjectMapper JSON = new ObjectMapper();

    S3UploadProgress {
        partETags = List.copyOf(partETags);
    }

    static S3UploadProgress empty(long partSize) {
        return new S3UploadProgress(partSize, List.of(), 0);
    }

    /** Where the tail starts: after the full parts. */
    long tailOffset() {
        return partETags.size() * partSize;
    }

    long size() {
        return tailOffset() + tailSize;
    }

    String encode() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The progress recorded in {@code state}; an empty driver state is a fresh upload. Refuses a state that is not
     * ours or does not add up to the recorded size (never guess where bytes are).
     */
    static S3UploadProgress of(UploadState state, long defaultPartSize) {
        if (state.driverState().isEmpty() && state.size() == 0) {
            return empty(defaultPartSize);
        }
        S3UploadProgress progress;
        try {
            progress = JSON.readValue(state.driverState(), S3UploadProgress.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not the state of an S3 upload: " + state.driverState(), e);
        }
        if (progress.partSize <= 0 || progress.tailSize < 0 || progress.tailSize >= progress.partSize
                || progress.size() != state.size()) {
            throw new IllegalArgumentException("inconsistent S3 upload state for " + state.size() + " bytes: "
                    + state.driverState());
        }
        return progress;
    }
}
