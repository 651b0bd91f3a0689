package io.regfleet.control.plan;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.rebalance.FleetLimits;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever the database and the spec (or the local fleet) ask: every plan keeps the budget invariant, gives every pod
 * a pool and a worker limit within their bounds, and never asks the autoscaler for more pods than the budget holds.
 */
class FleetPlannerPropertiesTest {

    @Provide
    Arbitrary<PlanRequest> requests() {
        Arbitrary<DatabaseLimits> databases = Combinators.combine(Arbitraries.integers().between(1, 5_000),
                        Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 20),
                        Arbitraries.integers().between(-1, 2_000), Arbitraries.integers().between(0, 1_000),
                        Arbitraries.of(true, false))
                .as(DatabaseLimits::new);
        Arbitrary<BudgetRequest> budgets = Combinators.combine(databases,
                        Arbitraries.integers().between(1, 5_000).injectNull(0.3), Arbitraries.integers().between(0, 500),
                        Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(1, 50), Arbitraries.integers().between(0, 200),
                        Arbitraries.integers().between(1, 100))
                .as((database, override, reserved, replicas, surge, poolMin, poolExtra, floorPercent) -> new BudgetRequest(
                        database, override, reserved, replicas, surge, poolMin, poolMin + poolExtra, floorPercent));
        return Combinators.combine(budgets, Arbitraries.integers().between(1, 64), Arbitraries.integers().between(0, 500),
                        Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 50).injectNull(0.4))
                .as((budget, workersMin, workersExtra, perConnection, autoscalerMin) -> new PlanRequest(budget, workersMin,
                        workersMin + workersExtra, perConnection,
                        autoscalerMin == null ? OptionalInt.empty() : OptionalInt.of(autoscalerMin)));
    }

    @Property(tries = 3000)
    void everyPlanKeepsTheBudgetInvariantAndItsBounds(@ForAll("requests") PlanRequest request) {
        FleetPlan plan = FleetPlanner.plan(request);
        ConnectionBudget budget = plan.budget();
        BudgetRequest asked = request.budget();

        // the floors of every pod that can exist fit what the database allows
        assertTrue((long) plan.startingPoolMax() * budget.podsCounted() <= budget.available(), () -> "floors over budget: " + plan);
        assertTrue(budget.maxReplicas() <= asked.desiredReplicas(), () -> "more replicas than asked: " + plan);
        assertEquals(plan.limits().isPresent(), budget.podsCounted() > 0, () -> "limits exist exactly when a pod fits: " + plan);
        plan.limits().ifPresent(limits -> {
            assertEquals(new FleetLimits(budget.available(), budget.podsCounted(), plan.startingPoolMax(), limits.poolCeiling(),
                    request.workersMinimum(), request.workersMaximum()), limits, "the rebalancer shares the budget's numbers");
            assertTrue(asked.perPodMinimum() <= limits.floor() && limits.floor() <= limits.poolCeiling()
                    && limits.poolCeiling() <= asked.perPodMaximum(), () -> "per-pod bounds broken: " + plan);
        });

        assertTrue(request.workersMinimum() <= plan.startingWorkers() && plan.startingWorkers() <= request.workersMaximum(),
                () -> "starting workers outside their bounds: " + plan);
        if (plan.startingPoolMax() * (long) request.workersPerConnection() <= request.workersMaximum()) {
            assertTrue(plan.startingWorkers() >= Math.min(request.workersMaximum(), plan.startingPoolMax()),
                    () -> "fewer workers than connections: " + plan);
        }

        assertEquals(request.autoscalerMinimum().isPresent(), plan.autoscaled(), () -> "autoscaled as asked: " + plan);
        if (plan.autoscaled()) {
            assertTrue(plan.hpaMinReplicas() >= 1, () -> "an autoscaler cannot scale to zero: " + plan);
            assertTrue(plan.hpaMinReplicas() <= request.autoscalerMinimum().getAsInt(), () -> "minimum above the spec's: " + plan);
            if (budget.maxReplicas() >= 1) {
                assertTrue(plan.hpaMinReplicas() <= budget.maxReplicas(), () -> "HPA minimum above its maximum: " + plan);
            }
        } else {
            assertEquals(0, plan.hpaMinReplicas());
        }
    }
}
