package io.regfleet.control.rebalance;

import java.util.Optional;

/**
 * What the rebalancer shares out, from the connection budget and the spec's bounds.
 *
 * @param available      connections the whole fleet may hold (the database's limit minus every reserve)
 * @param slots          pods that can exist at once (replicas or autoscaler maximum, plus rollout surge)
 * @param floor          pool maximum every slot keeps, and the one a new pod starts with
 * @param poolCeiling    the largest pool maximum a pod may be given (not what it runs with: that is
 *                       {@link io.regfleet.fleet.PodUsage#appliedPoolMax()})
 * @param workersMinimum fewest workers a pod may be given
 * @param workersMaximum most workers a pod may be given
 */
public record FleetLimits(int available, int slots, int floor, int poolCeiling, int workersMinimum, int workersMaximum) {
    public FleetLimits {
        if (available < 0 || slots < 0 || floor < 1 || poolCeiling < floor || workersMinimum < 1 || workersMaximum < workersMinimum) {
            throw new IllegalArgumentException("invalid fleet limits: available " + available + ", slots " + slots
                    + ", floor " + floor + ", pool ceiling " + poolCeiling + ", workers " + workersMinimum + ".." + workersMaximum);
        }
        if ((long) floor * slots > available) {
            throw new IllegalArgumentException("floor " + floor + " x " + slots + " slots exceeds the " + available + " available");
        }
    }

    /**
     * The limits of one read replica's pools: what the fleet is counted at there, shared by demand between floors of
     * {@code floor} (what the pods start with: clamped so every slot's floor fits) and a ceiling of
     * {@code perPodMaximum} (no more than one pod can get beside the others' floors). The worker limit is the
     * primary's business: a replica's rebalancer does not manage it ({@link Rebalancer.Settings#forReplica()}), so
     * its bounds here are 1..1. Empty when not even one connection per slot fits.
     *
     * @param available the connections the fleet's pods may hold on the replica together
     * @param slots     the pods that can exist at once
     * @param floor     the pool each pod starts with (the primary's floor, say); lowered to fit when it does not
     */
    public static Optional<FleetLimits> ofReplica(int available, int slots, int floor, int perPodMaximum) {
        if (slots < 1 || available < slots || perPodMaximum < 1) {
            return Optional.empty();
        }
        int fitting = Math.max(1, Math.min(floor, available / slots));
        int ceiling = Math.max(fitting, Math.min(perPodMaximum, available - fitting * (slots - 1)));
        return Optional.of(new FleetLimits(available, slots, fitting, ceiling, 1, 1));
    }
}
