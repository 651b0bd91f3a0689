package io.regfleet.fleet;

/**
 * What one pod's garbage collector has done since the pod started, as its agent serves it
 * ({@code GET /fleet/collector}): the operator sums the pods' reports into the Registry's status.garbageCollection.
 * Totals only grow while the pod lives; the queue sizes are the database's (every pod sees the same queues), as this
 * pod last counted them.
 *
 * @param lastRoundEpochSeconds when the last round finished (Unix time; 0: none yet)
 * @param blobQueue             candidates waiting in the blob queue (due or not), as last counted
 */
public record CollectorReport(double lastRoundEpochSeconds, long blobsCollected, long bytesCollected,
                              long manifestsCollected, long linksRemoved, long orphansRemoved, long errors,
                              long blobQueue, long manifestQueue, long deletionsInProgress) {
}
