package io.regfleet.fleet.local;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.plan.FleetPlanner;
import io.regfleet.control.plan.PlanRequest;

import java.util.OptionalInt;

/** A local fleet's plan: the operator's planner with no surge (nothing rolls out locally) and no autoscaler. */
final class LocalBudget {
    /** Smallest pool a replica may have. */
    static final int PER_POD_MINIMUM = 2;

    private LocalBudget() {
    }

    /** @throws IllegalStateException when the database cannot hold the fleet's replicas at the minimum each */
    static FleetPlan plan(DatabaseLimits database, LocalFleet.Options options) {
        int floorPercent = options.rebalance() ? options.floorPercent() : 100;
        BudgetRequest budget = new BudgetRequest(database, null, 0, options.maxReplicas(), 0, PER_POD_MINIMUM,
                options.poolMaximum(), floorPercent);
        FleetPlan plan = FleetPlanner.plan(new PlanRequest(budget, options.workersMinimum(), options.workersMaximum(),
                PlanRequest.DEFAULT_WORKERS_PER_CONNECTION, OptionalInt.empty()));
        if (plan.limits().isEmpty() || plan.budget().maxReplicas() < options.replicas()) {
            throw new IllegalStateException("max_connections " + options.maxConnections() + " leaves the fleet "
                    + plan.budget().available() + " connections: not enough for " + options.replicas() + " replicas at "
                    + PER_POD_MINIMUM + " each (" + plan.budget().explain(PER_POD_MINIMUM, floorPercent) + ")");
        }
        return plan;
    }
}
