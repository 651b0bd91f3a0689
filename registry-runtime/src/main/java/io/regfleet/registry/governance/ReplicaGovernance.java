package io.regfleet.registry.governance;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.IntSupplier;

/**
 * How this pod governs each read replica's pool ({@link GovernedPool#replica}).
 *
 * @param ceiling    the most an allocation may raise a replica's pool to ({@code regfleet.pool.replica-ceiling});
 *                   empty: the replica's own max_connections
 * @param window     the window of the usage report ({@code regfleet.agent.window})
 * @param podWorkers the pod's worker limit, reported with a replica's allocation (which never sets it)
 */
public record ReplicaGovernance(OptionalInt ceiling, Duration window, IntSupplier podWorkers) {
    /** No ceiling but the replica's, the default window, one worker reported: a pod built by hand (tests). */
    public static final ReplicaGovernance STANDALONE = new ReplicaGovernance(OptionalInt.empty(), Duration.ofSeconds(10), () -> 1);
}
