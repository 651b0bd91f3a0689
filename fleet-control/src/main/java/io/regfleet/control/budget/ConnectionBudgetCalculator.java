package io.regfleet.control.budget;

/** Pure arithmetic of the connection budget: no I/O, so it can be checked for every input. */
public final class ConnectionBudgetCalculator {
    /** The operator's own short-lived probe connection. */
    public static final int OPERATOR_PROBE_CONNECTIONS = 1;
    /** The schema migration Job holds one connection while it runs. */
    public static final int MIGRATION_JOB_CONNECTIONS = 1;
    /** AWS keeps connections for Aurora's automation (monitoring, failover). */
    public static final int AURORA_AUTOMATION_CONNECTIONS = 3;

    private ConnectionBudgetCalculator() {
    }

    public static ConnectionBudget compute(BudgetRequest request) {
        DatabaseLimits limits = request.limits();
        int serverMax = request.maxConnectionsOverride() != null ? request.maxConnectionsOverride() : limits.maxConnections();
        int operatorOwn = OPERATOR_PROBE_CONNECTIONS + MIGRATION_JOB_CONNECTIONS;
        int reserved = limits.superuserReservedConnections() + limits.reservedConnections()
                + (limits.aurora() ? AURORA_AUTOMATION_CONNECTIONS : 0) + request.specReserved() + operatorOwn;
        long available = (long) serverMax - reserved - limits.heldByOthers();
        if (limits.roleConnectionLimit() >= 0) {
            // the role's limit counts every session of the role, the operator's own included
            available = Math.min(available, (long) limits.roleConnectionLimit() - operatorOwn);
        }
        return split((int) Math.max(0, available), request, request.floorPercent())
                .describing(serverMax, reserved, limits.heldByOthers(), limits.roleConnectionLimit());
    }

    /**
     * How {@code fleet} connections are split among the pods the request asks for: capped when even the per-pod
     * minimum does not fit, every slot at {@code floorPercent} of the even split. The server's numbers of the result
     * are left at zero (see {@link ConnectionBudget#describing}).
     */
    public static ConnectionBudget split(int fleet, BudgetRequest request, int floorPercent) {
        int desired = request.desiredReplicas();
        int surge = desired == 0 ? 0 : request.maxSurge();
        int replicas = desired;
        boolean capped = false;
        if (desired > 0 && fleet / (desired + surge) < request.perPodMinimum()) {
            capped = true;
            int fit = fleet / request.perPodMinimum();
            if (fit >= desired) {
                surge = fit - desired; // every replica fits, only the surge shrinks
            } else if (fit > surge) {
                replicas = fit - surge;
            } else {
                surge = 0; // rollouts replace pods one at a time instead
                replicas = fit;
            }
        }
        int pods = replicas + surge;
        // a share of the even split, never below the minimum (capping guarantees minimum x pods fits) nor above the
        // even split itself, so floor x pods <= available holds for every share
        int share = (int) ((long) fleet * floorPercent / 100 / Math.max(1, pods));
        int floor = pods == 0 ? 0 : Math.min(request.perPodMaximum(), Math.max(request.perPodMinimum(), share));
        return new ConnectionBudget(0, 0, 0, DatabaseLimits.UNLIMITED, fleet, replicas, surge, pods, floor, floor * pods,
                capped, desired);
    }
}
