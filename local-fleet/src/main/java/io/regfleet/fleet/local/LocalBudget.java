package io.regfleet.fleet.local;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.plan.PlanRequest;
import io.regfleet.control.share.ServerIdentity;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.control.share.ShareClaim;
import io.regfleet.control.share.ShareCoordinator;
import io.regfleet.control.share.ShareState;
import io.regfleet.control.share.SharedFleet;

import java.util.Map;
import java.util.OptionalInt;

/**
 * A local fleet's claim on its server and the plan it gets: the operator's planner with no surge (nothing rolls out
 * locally) and no autoscaler, every fleet of weight 1.
 */
final class LocalBudget {
    /** Smallest pool a replica may have. */
    static final int PER_POD_MINIMUM = 2;

    private LocalBudget() {
    }

    static ShareClaim claim(DatabaseLimits database, FleetOptions options, String registry) {
        int floorPercent = options.rebalance() ? options.floorPercent() : 100;
        BudgetRequest budget = new BudgetRequest(database, null, 0, options.maxReplicas(), 0, PER_POD_MINIMUM,
                options.poolMaximum(), floorPercent);
        PlanRequest plan = new PlanRequest(budget, options.workersMinimum(), options.workersMaximum(),
                PlanRequest.DEFAULT_WORKERS_PER_CONNECTION, OptionalInt.empty());
        return new ShareClaim(registry, registry, 1, 0, options.rebalance(), plan);
    }

    /**
     * The fleet's plan on its server now.
     *
     * @throws IllegalStateException when the server cannot hold the fleet's replicas at the minimum each (the verdict
     *                               names the other fleets and their shares)
     */
    static FleetPlan plan(SharedFleet shared, FleetOptions options) {
        FleetPlan plan = shared.plan();
        if (plan.limits().isEmpty() || plan.budget().maxReplicas() < options.replicas()) {
            throw new IllegalStateException("max_connections " + options.maxConnections() + " leaves " + shared.registry()
                    + " " + plan.budget().available() + " connections: not enough for " + options.replicas()
                    + " replicas at " + PER_POD_MINIMUM + " each (" + shared.verdict().message() + ")");
        }
        return plan;
    }

    /**
     * The plan once the fleet's share is granted: a fleet joining a server the others use waits until they have
     * released it (their next rounds), for a few intervals at most.
     */
    static FleetPlan awaitPlan(SharedFleet shared, FleetOptions options) {
        long deadline = System.nanoTime() + options.interval().multipliedBy(3).plusSeconds(30).toNanos();
        while (shared.verdict().state() == ShareState.PENDING && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return plan(shared, options);
    }

    /** The plan of a fleet alone on a server with these limits. */
    static FleetPlan plan(DatabaseLimits database, FleetOptions options) {
        ServerSnapshot alone = new ServerSnapshot(new ServerIdentity("local", "127.0.0.1"), database, Map.of());
        return plan(ShareCoordinator.withDefaults().join(alone, claim(database, options, LocalFleet.REGISTRY)), options);
    }
}
