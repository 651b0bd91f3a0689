package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last verify Job (REGFLEET_MODE=verify) and what its summary said; IntegrityVerified has it in words. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerificationStatus {
    /** The states. */
    public static final String RUNNING = "Running", VERIFIED = "Verified", FAILURES_FOUND = "FailuresFound",
            INCOMPLETE = "Incomplete";

    @JsonPropertyDescription("The verify Job (kubectl logs job/<job> shows its report).")
    public String job;
    @JsonPropertyDescription("Why it ran: after the schema migration Job of that name, or the regfleet.io/verify annotation's value.")
    public String trigger;
    @JsonPropertyDescription("Running, Verified, FailuresFound or Incomplete.")
    public String state;
    @JsonPropertyDescription("Every blob's bytes were re-hashed (regfleet.io/verify-deep).")
    public Boolean deep;
    @JsonPropertyDescription("When the Job finished (RFC 3339).")
    public String completionTime;
    @JsonPropertyDescription("Manifests checked.")
    public Long manifests;
    @JsonPropertyDescription("Blobs checked.")
    public Long blobs;
    @JsonPropertyDescription("Failures found (the first digests are in IntegrityVerified's message, all in the Job's log).")
    public Long failureCount;
}
