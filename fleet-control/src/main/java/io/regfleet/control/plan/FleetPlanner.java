package io.regfleet.control.plan;

import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.ConnectionBudgetCalculator;
import io.regfleet.control.rebalance.FleetLimits;

import java.util.Optional;

/**
 * The one place that turns a plan request into a plan: the budget, the rebalancer's limits, the starting workers and
 * the autoscaler's minimum. The operator and the local fleet both plan here, so they cannot disagree.
 */
public final class FleetPlanner {
    private FleetPlanner() {
    }

    /** A fleet alone on its database: its budget is what the database leaves, shared by demand among its pods. */
    public static FleetPlan plan(PlanRequest request) {
        ConnectionBudget budget = ConnectionBudgetCalculator.compute(request.budget());
        return plan(request, budget, budget.available());
    }

    /**
     * A fleet sharing its database server with other Registries: every slot's floor comes out of its
     * {@code guaranteed} share (all of it: the floor percent was applied when the server shared its guaranteed
     * shares out), and its rebalancer shares {@code share} (its guaranteed share plus what the server gave it by
     * demand) among its pods.
     */
    public static FleetPlan plan(PlanRequest request, int guaranteed, int share) {
        if (share < guaranteed) {
            throw new IllegalArgumentException("share " + share + " below the guaranteed " + guaranteed);
        }
        return plan(request, ConnectionBudgetCalculator.split(guaranteed, request.budget(), 100), share);
    }

    /**
     * A fleet whose pools share {@code connections} that are not the server's (a pooler's client limit, see
     * {@link PoolerRequest}): split among its pods at the request's floor percent, the rest by demand.
     */
    static FleetPlan planWithin(PlanRequest request, int connections) {
        return plan(request, ConnectionBudgetCalculator.split(connections, request.budget(), request.budget().floorPercent()),
                connections);
    }

    private static FleetPlan plan(PlanRequest request, ConnectionBudget budget, int available) {
        int floor = budget.perPodFloor();
        Optional<FleetLimits> limits = budget.podsCounted() == 0 ? Optional.empty()
                : Optional.of(new FleetLimits(available, budget.podsCounted(), floor,
                        Math.max(floor, request.budget().perPodMaximum()), request.workersMinimum(), request.workersMaximum()));
        int workers = (int) Math.max(request.workersMinimum(),
                Math.min(request.workersMaximum(), (long) floor * request.workersPerConnection()));
        // an autoscaler cannot scale to 0: its minimum is at least 1, at most what the budget allows
        int hpaMin = request.autoscalerMinimum().stream().map(min -> Math.max(1, Math.min(min, budget.maxReplicas())))
                .findFirst().orElse(0);
        return new FleetPlan(budget, limits, workers, hpaMin);
    }
}
