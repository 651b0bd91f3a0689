package io.regfleet.operator.plan;

import io.regfleet.control.budget.DatabaseLimits;

/**
 * The verify Job's connections, kept out of the pods' budget at all times (a verify may be asked for whenever), as
 * the migration Job's one is: added to the Registry's reserve, and, since the Job logs in as the pods' role, taken
 * from the role's connection limit too (the spec's reserve is for others, whom that limit does not count).
 */
public final class VerifyReserve {
    private VerifyReserve() {
    }

    /** The database's limits as the pods see them once the verify Job holds {@code connections}. */
    public static DatabaseLimits withheld(DatabaseLimits limits, int connections) {
        if (connections == 0 || limits.roleConnectionLimit() < 0) {
            return limits;
        }
        return new DatabaseLimits(limits.maxConnections(), limits.superuserReservedConnections(), limits.reservedConnections(),
                Math.max(0, limits.roleConnectionLimit() - connections), limits.heldByOthers(), limits.aurora());
    }
}
