package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The pods' garbage collectors as their agents last reported them, summed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GarbageCollectionStatus {
    @JsonPropertyDescription("When a collector last finished a round (RFC 3339). Refreshed at most every 10 minutes while nothing else here changes.")
    public String lastRunTime;
    @JsonPropertyDescription("Pods whose collector answered.")
    public Integer pods;
    @JsonPropertyDescription("Blobs deleted (rows and bytes), since the pods started.")
    public Long collectedBlobs;
    @JsonPropertyDescription("Blob bytes deleted from the blob store, since the pods started.")
    public Long collectedBytes;
    @JsonPropertyDescription("Manifests deleted, since the pods started.")
    public Long collectedManifests;
    @JsonPropertyDescription("Collector failures (the work is retried), since the pods started.")
    public Long errors;
    @JsonPropertyDescription("Blob candidates waiting for review (due or not).")
    public Long blobBacklog;
    @JsonPropertyDescription("Manifest candidates waiting for review (due or not).")
    public Long manifestBacklog;
    @JsonPropertyDescription("Blob deletions claimed and not finished.")
    public Long deletionsInProgress;
}
