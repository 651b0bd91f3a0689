package io.regfleet.control.budget;

/**
 * The fleet's share of the database. Invariant: {@code allocatedTotal = perPodFloor * podsCounted <= available}.
 *
 * @param serverMaxConnections max_connections or the override
 * @param reserved             every connection held back (server, Aurora, spec, operator's own)
 * @param heldByOthers         connections outside the fleet
 * @param roleConnectionLimit  the role's limit, -1 when none
 * @param available            what the whole fleet may hold
 * @param maxReplicas          replicas (or autoscaler maximum) allowed; below the desired ones when capped
 * @param maxSurge             the rollout surge to set on the Deployment
 * @param podsCounted          maxReplicas + maxSurge: the most pods that can exist at once
 * @param perPodFloor          each pod's starting pool maximum, and what every slot keeps while the rest is shared by
 *                             demand
 * @param allocatedTotal       perPodFloor * podsCounted: the floors of every pod that can exist
 * @param capped               true when even the per-pod minimum did not fit the desired pods
 * @param desiredReplicas      what the spec asked for
 */
public record ConnectionBudget(int serverMaxConnections, int reserved, int heldByOthers, int roleConnectionLimit,
                               int available, int maxReplicas, int maxSurge, int podsCounted, int perPodFloor,
                               int allocatedTotal, boolean capped, int desiredReplicas) {

    /** The same split, with the server's numbers it was computed from (for {@link #explain}). */
    public ConnectionBudget describing(int serverMaxConnections, int reserved, int heldByOthers, int roleConnectionLimit) {
        return new ConnectionBudget(serverMaxConnections, reserved, heldByOthers, roleConnectionLimit, available,
                maxReplicas, maxSurge, podsCounted, perPodFloor, allocatedTotal, capped, desiredReplicas);
    }

    /**
     * A one-line account of the numbers, for the ConnectionBudgetReady condition.
     *
     * @param floorPercent the share of the even split kept as the floor (100: no rebalancing)
     */
    public String explain(int perPodMinimum, int floorPercent) {
        String base = "fleet may hold %d connections (max_connections %d - reserved %d - held by others %d%s)".formatted(
                available, serverMaxConnections, reserved, heldByOthers,
                roleConnectionLimit >= 0 ? ", role limit " + roleConnectionLimit : "");
        if (capped) {
            return base + "; %d replicas + surge at the minimum of %d per pod do not fit: capped to %d replicas and surge %d, %d per pod"
                    .formatted(desiredReplicas, perPodMinimum, maxReplicas, maxSurge, perPodFloor);
        }
        if (floorPercent >= 100) {
            return base + "; %d pods counted (replicas %d + surge %d) at %d per pod = %d allocated"
                    .formatted(podsCounted, maxReplicas, maxSurge, perPodFloor, allocatedTotal);
        }
        return base + "; %d pods counted (replicas %d + surge %d) with a floor of %d per pod (%d%% of the even split) = %d; the other %d shared by demand"
                .formatted(podsCounted, maxReplicas, maxSurge, perPodFloor, floorPercent, allocatedTotal, available - allocatedTotal);
    }
}
