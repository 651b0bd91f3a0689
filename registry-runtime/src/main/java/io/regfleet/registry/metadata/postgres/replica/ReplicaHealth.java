package io.regfleet.registry.metadata.postgres.replica;

import io.regfleet.fleet.ReplicaReport;

/**
 * A replica's state after the monitor's last sample: whether it serves reads, why not ({@link ReplicaReport}'s
 * reasons), what it has replayed and how far behind it is. Quarantined beyond the max lag, it rejoins once it lags at
 * most half of it (hysteresis, so it does not flap) and has replayed every write known while it was out: writes
 * forgotten meanwhile for their age included ({@link WriteLsns#forget}).
 *
 * @param mustReach what a quarantined replica must have replayed before it rejoins
 */
public record ReplicaHealth(boolean serving, String reason, Lsn replayed, long lagNanos, Lsn mustReach) {
    /** Before the first sample. */
    public static final ReplicaHealth UNKNOWN = new ReplicaHealth(false, ReplicaReport.UNREACHABLE, Lsn.ZERO, 0, Lsn.ZERO);

    /** After a sample that reached the replica; {@code newest}: the newest write known now. */
    public ReplicaHealth sampled(Lsn replayedNow, long lagNow, long maxLagNanos, Lsn newest) {
        if (lagNow > maxLagNanos) {
            return new ReplicaHealth(false, ReplicaReport.LAGGING, replayedNow, lagNow, newest);
        }
        boolean rejoins = lagNow <= maxLagNanos / 2 && replayedNow.reached(mustReach);
        if (serving || rejoins) {
            return new ReplicaHealth(true, ReplicaReport.SERVING, replayedNow, lagNow, mustReach);
        }
        return new ReplicaHealth(false, reason, replayedNow, lagNow, mustReach);
    }

    /** After a sample or a read that failed to reach it. */
    public ReplicaHealth unreachable(Lsn newest) {
        return new ReplicaHealth(false, ReplicaReport.UNREACHABLE, replayed, lagNanos, Lsn.max(mustReach, newest));
    }
}
