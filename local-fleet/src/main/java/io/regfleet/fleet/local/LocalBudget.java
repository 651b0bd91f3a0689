package io.regfleet.fleet.local;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.ConnectionBudgetCalculator;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.rebalance.FleetLimits;

/** A local fleet's share of its database: the operator's budget arithmetic with no surge (nothing rolls out locally). */
final class LocalBudget {
    /** Smallest pool a replica may have. */
    static final int PER_POD_MINIMUM = 2;

    private LocalBudget() {
    }

    static FleetLimits limits(DatabaseLimits database, LocalFleet.Options options) {
        int floorPercent = options.rebalance() ? options.floorPercent() : 100;
        ConnectionBudget budget = ConnectionBudgetCalculator.compute(new BudgetRequest(database, null, 0,
                options.maxReplicas(), 0, PER_POD_MINIMUM, options.poolMaximum(), floorPercent));
        if (budget.maxReplicas() < options.replicas() || budget.perPodFloor() < 1) {
            throw new IllegalStateException("max_connections " + options.maxConnections() + " leaves the fleet "
                    + budget.available() + " connections: not enough for " + options.replicas() + " replicas at "
                    + PER_POD_MINIMUM + " each (" + budget.explain(PER_POD_MINIMUM, floorPercent) + ")");
        }
        int floor = budget.perPodFloor();
        return new FleetLimits(budget.available(), budget.podsCounted(), floor, Math.max(floor, options.poolMaximum()),
                options.workersMinimum(), options.workersMaximum());
    }
}
