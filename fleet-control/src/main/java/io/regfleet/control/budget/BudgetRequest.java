package io.regfleet.control.budget;

/**
 * Everything the budget depends on besides the database.
 *
 * @param limits                 the live database's limits
 * @param maxConnectionsOverride the spec's override of max_connections, or null
 * @param specReserved           connections the spec keeps for others
 * @param desiredReplicas        max(replicas, autoscaling maximum)
 * @param maxSurge               rollout surge the operator wants on the Deployment
 * @param perPodMinimum          smallest pool a pod may have
 * @param perPodMaximum          largest pool a pod may have
 * @param floorPercent           share (1..100) of the even split every pod slot keeps as its floor; the rest is
 *                               shared by demand (100 when rebalancing is off: the floor is the whole split)
 */
public record BudgetRequest(DatabaseLimits limits, Integer maxConnectionsOverride, int specReserved,
                            int desiredReplicas, int maxSurge, int perPodMinimum, int perPodMaximum,
                            int floorPercent) {
    public BudgetRequest {
        if (specReserved < 0 || desiredReplicas < 0 || maxSurge < 0 || perPodMinimum < 1 || perPodMaximum < perPodMinimum
                || floorPercent < 1 || floorPercent > 100) {
            throw new IllegalArgumentException("invalid budget request: " + this);
        }
    }
}
