package io.regfleet.registry.gc;

/**
 * What this pod's collector has done since it started, for the operator: the pod agent could serve it next to the
 * usage report, and the Registry's status show the fleet's last round and backlog (not wired yet: the same figures
 * are on /q/metrics).
 *
 * @param lastRoundEpochSeconds when the last round finished (Unix time; 0: none yet)
 * @param blobQueue             candidates waiting in the blob queue (due or not), as last counted
 */
public record CollectorReport(double lastRoundEpochSeconds, long blobsCollected, long bytesCollected,
                              long manifestsCollected, long linksRemoved, long orphansRemoved, long errors,
                              long blobQueue, long manifestQueue, long deletionsInProgress) {
}
