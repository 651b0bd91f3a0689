package io.regfleet.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A pod's use of its database share, as its agent reports it ({@code GET /fleet/usage}). Connection counts are now;
 * peak and mean cover the last {@code windowSeconds}; counters ({@code ...Total}) only grow, so the caller diffs them.
 *
 * @param generation         the allocation generation now applied
 * @param appliedPoolMax     the pool maximum the pod runs with now (on the wire {@code poolMax}, the name running pods
 *                           speak; not the floor it started with nor the ceiling it may be given)
 * @param open               connections open to PostgreSQL
 * @param active             connections in use
 * @param idle               open and not in use
 * @param awaiting           threads waiting for a connection
 * @param activePeak         most connections in use at once in the window
 * @param activeMean         time-weighted mean of connections in use over the window
 * @param windowSeconds      the window peak and mean cover
 * @param acquireWaitP50Ms   median time to get a connection in the window
 * @param acquireWaitP99Ms   99th percentile of the same
 * @param acquireTimeoutsTotal requests that could not get a connection in time
 * @param shedTotal          requests refused by the worker limit (503)
 * @param workers            the worker limit now applied
 * @param inFlight           database work running now
 * @param requestsPerSecond  API requests per second over the window
 * @param cpuUsage           process CPU use, in cores, over the window
 * @param cpuLimit           the CPUs this container may use (its cgroup quota)
 * @param workersQueued      database work waiting now for a worker
 * @param workP99Ms          99th percentile of how long database work held its connection, over the window
 */
public record PodUsage(
        long generation,
        @JsonProperty("poolMax") int appliedPoolMax,
        int open,
        int active,
        int idle,
        int awaiting,
        int activePeak,
        double activeMean,
        double windowSeconds,
        double acquireWaitP50Ms,
        double acquireWaitP99Ms,
        long acquireTimeoutsTotal,
        long shedTotal,
        int workers,
        int inFlight,
        double requestsPerSecond,
        double cpuUsage,
        double cpuLimit,
        int workersQueued,
        double workP99Ms) {
}
