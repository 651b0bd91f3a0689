package io.regfleet.control.rebalance;

import java.util.Collection;

/**
 * The invariant the rebalancer never breaks: every pod's counted connections, plus the floor of every slot without a
 * pod, at or below what the fleet may hold. Pods that hold no slot (terminating, gone within their grace period)
 * count on top.
 */
public final class BudgetInvariant {
    private BudgetInvariant() {
    }

    /** Slots without a pod, each reserved at the floor so a pod the autoscaler or a rollout creates is covered. */
    public static int emptySlots(FleetLimits limits, Collection<PodShare> pods) {
        long holding = pods.stream().filter(PodShare::holdsSlot).count();
        return (int) Math.max(0, limits.slots() - holding);
    }

    public static long committed(FleetLimits limits, Collection<PodShare> pods) {
        long counted = pods.stream().mapToLong(PodShare::counted).sum();
        return counted + (long) limits.floor() * emptySlots(limits, pods);
    }

    public static boolean holds(FleetLimits limits, Collection<PodShare> pods) {
        return committed(limits, pods) <= limits.available();
    }
}
