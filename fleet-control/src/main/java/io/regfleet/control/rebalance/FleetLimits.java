package io.regfleet.control.rebalance;

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
}
