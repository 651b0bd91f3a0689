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
 * @param perPodFloor          each pod's starting pool maximum
 * @param allocatedTotal       perPodFloor * podsCounted
 * @param capped               true when even the per-pod minimum did not fit the desired pods
 * @param desiredReplicas      what the spec asked for
 */
public record ConnectionBudget(int serverMaxConnections, int reserved, int heldByOthers, int roleConnectionLimit,
                               int available, int maxReplicas, int maxSurge, int podsCounted, int perPodFloor,
                               int allocatedTotal, boolean capped, int desiredReplicas) {

    /** A one-line account of the numbers, for the ConnectionBudgetReady condition. */
    public String explain(int perPodMinimum) {
        String base = "fleet may hold %d connections (max_connections %d - reserved %d - held by others %d%s)".formatted(
                available, serverMaxConnections, reserved, heldByOthers,
                roleConnectionLimit >= 0 ? ", role limit " + roleConnectionLimit : "");
        if (capped) {
            return base + "; %d replicas + surge at the minimum of %d per pod do not fit: capped to %d replicas and surge %d, %d per pod"
                    .formatted(desiredReplicas, perPodMinimum, maxReplicas, maxSurge, perPodFloor);
        }
        return base + "; %d pods counted (replicas %d + surge %d) at %d per pod = %d allocated"
                .formatted(podsCounted, maxReplicas, maxSurge, perPodFloor, allocatedTotal);
    }
}
