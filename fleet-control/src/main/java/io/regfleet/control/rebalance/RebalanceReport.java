package io.regfleet.control.rebalance;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one round, for status, events, metrics and the local fleet's table.
 *
 * @param committed connections counted after the round (pods plus empty slots at the floor); never above
 *                  {@code limits.available()} unless something outside the rebalancer's control put it there
 * @param changes   allocations applied this round (a shrink and a raise of two pods are two)
 * @param deferred  raises not made because a shrink was not confirmed in time or the budget did not allow them
 * @param refused   raises refused because the plan itself would have broken the invariant (a bug, also logged)
 */
public record RebalanceReport(Instant at, FleetLimits limits, long committed, List<PodReport> pods, int changes,
                              int deferred, int refused) {
    public int emptySlots() {
        long holding = pods.stream().filter(p -> p.state() != PodState.TERMINATING && p.state() != PodState.GONE).count();
        return (int) Math.max(0, limits.slots() - holding);
    }
}
