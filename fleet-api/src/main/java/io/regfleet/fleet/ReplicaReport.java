package io.regfleet.fleet;

/**
 * One read replica as a pod sees it ({@code GET /fleet/replicas}, one per configured replica).
 *
 * @param replica      the replica's {@code host:port}, as configured
 * @param serving      true when lag-tolerant reads go to it; false while it is quarantined
 * @param reason       why it is quarantined ({@code Lagging}, {@code Unreachable}), or {@code Serving}
 * @param lagSeconds   how long the oldest write it has not replayed yet has waited (0 when caught up)
 * @param poolMax      the pool maximum applied to this replica's pool
 * @param open         connections open to it now
 * @param readsTotal   reads it answered since the pod started (only grows)
 */
public record ReplicaReport(String replica, boolean serving, String reason, double lagSeconds, int poolMax, int open,
                            long readsTotal) {
    public static final String SERVING = "Serving", LAGGING = "Lagging", UNREACHABLE = "Unreachable";
}
