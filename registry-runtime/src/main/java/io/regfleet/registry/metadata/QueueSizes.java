package io.regfleet.registry.metadata;

/** How many candidates wait in each review queue (due or not), and how many blob deletions are in progress. */
public record QueueSizes(long blobs, long manifests, long deletions) {
}
