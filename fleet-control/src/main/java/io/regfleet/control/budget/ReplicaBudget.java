package io.regfleet.control.budget;

/**
 * A fleet's budget on one read replica, from the replica's own live limits. Only the serving pods hold pools there
 * (the migration and verify Jobs use the primary), each one pool of {@code perPodPool}, fixed for the pod's life:
 * invariant {@code perPodPool * podsCounted <= available}, so every pod that can exist, plus the reserves, stays within
 * what the replica allows.
 *
 * @param serverMaxConnections the replica's max_connections
 * @param reserved             held back: the replica's superuser and reserved connections, Aurora's automation, the
 *                             spec's reserve and the operator's probe
 * @param heldByOthers         connections on the replica outside every Registry sharing it (other clients, Registries
 *                             the sharing does not know)
 * @param heldByRegistries     what the other Registries sharing the replica are counted at (their pods' pools)
 * @param roleConnectionLimit  the role's limit, -1 when none
 * @param available            what the fleet's pods may hold on the replica together
 * @param podsCounted          the most pods that can exist at once (replicas + surge), as the primary's budget counts them
 * @param perPodPool           each pod's pool maximum on the replica; 0 when not even one connection per pod fits
 */
public record ReplicaBudget(int serverMaxConnections, int reserved, int heldByOthers, int heldByRegistries,
                            int roleConnectionLimit, int available, int podsCounted, int perPodPool) {

    /** The budget of a fleet alone on the replica (nothing counted for other Registries). */
    public static ReplicaBudget compute(DatabaseLimits replica, int specReserved, int podsCounted, int perPodMaximum) {
        return compute(replica, 0, specReserved, podsCounted, perPodMaximum);
    }

    /**
     * @param replica          the replica's limits; {@code heldByOthers} counts every client outside the Registries
     *                         sharing it
     * @param heldByRegistries what the other Registries sharing it are counted at
     * @param specReserved  connections the spec keeps for others (held back on every server the fleet uses)
     * @param podsCounted   pods that can exist at once
     * @param perPodMaximum largest pool a pod may have
     */
    public static ReplicaBudget compute(DatabaseLimits replica, int heldByRegistries, int specReserved, int podsCounted,
                                        int perPodMaximum) {
        if (heldByRegistries < 0 || specReserved < 0 || podsCounted < 0 || perPodMaximum < 1) {
            throw new IllegalArgumentException("invalid replica budget request: reserve " + specReserved + ", "
                    + podsCounted + " pods, at most " + perPodMaximum + " per pod");
        }
        int operatorOwn = ConnectionBudgetCalculator.OPERATOR_PROBE_CONNECTIONS;
        int reserved = replica.superuserReservedConnections() + replica.reservedConnections()
                + (replica.aurora() ? ConnectionBudgetCalculator.AURORA_AUTOMATION_CONNECTIONS : 0) + specReserved + operatorOwn;
        long available = (long) replica.maxConnections() - reserved - replica.heldByOthers() - heldByRegistries;
        if (replica.roleConnectionLimit() >= 0) {
            // the role's limit counts its sessions on this server: the pods' and the operator's probe
            available = Math.min(available, (long) replica.roleConnectionLimit() - operatorOwn);
        }
        int fleet = (int) Math.max(0, available);
        int pool = podsCounted == 0 ? 0 : Math.min(perPodMaximum, fleet / podsCounted);
        return new ReplicaBudget(replica.maxConnections(), reserved, replica.heldByOthers(), heldByRegistries,
                replica.roleConnectionLimit(), fleet, podsCounted, pool);
    }

    /** Every pod that can exist gets at least one connection on the replica (with no pod at all, nothing is asked). */
    public boolean fits() {
        return podsCounted == 0 || perPodPool >= 1;
    }

    /** The same budget with each pod's pool at {@code pool}: one a rollout under way keeps, or a smaller one. */
    public ReplicaBudget withPool(int pool) {
        return pool == perPodPool ? this : new ReplicaBudget(serverMaxConnections, reserved, heldByOthers, heldByRegistries,
                roleConnectionLimit, available, podsCounted, pool);
    }

    /** The pools of every pod that can exist together. */
    public int allocatedTotal() {
        return perPodPool * podsCounted;
    }

    /** A one-line account of the numbers, for conditions. */
    public String explain() {
        return "%d available (max_connections %d - reserved %d - held by others %d%s%s) for %d pods: %d per pod".formatted(
                available, serverMaxConnections, reserved, heldByOthers,
                heldByRegistries > 0 ? " - other Registries " + heldByRegistries : "",
                roleConnectionLimit >= 0 ? ", role limit " + roleConnectionLimit : "", podsCounted, perPodPool);
    }
}
