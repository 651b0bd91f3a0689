package io.regfleet.control.plan;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.rebalance.FleetLimits;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FleetPlannerTest {
    /** 30 - (3 superuser + 1 spec + 2 operator) = 24, the role's limit 20 - 2 = 18 available. */
    private static final DatabaseLimits DATABASE = new DatabaseLimits(30, 3, 0, 20, 0, false);

    private static PlanRequest request(int replicas, int perPodMinimum, OptionalInt autoscalerMinimum) {
        return new PlanRequest(new BudgetRequest(DATABASE, null, 1, replicas, 1, perPodMinimum, 20, 50), 8, 200,
                PlanRequest.DEFAULT_WORKERS_PER_CONNECTION, autoscalerMinimum);
    }

    @Test
    void theFloorStartsEveryPodAndBoundsTheRebalancer() {
        // 18 over 2 replicas + 1 surge = 6 each, 50% of it the floor: 3; workers max(8, 3 x 4)
        FleetPlan plan = FleetPlanner.plan(request(2, 2, OptionalInt.empty()));
        assertEquals(3, plan.startingPoolMax());
        assertEquals(12, plan.startingWorkers());
        assertEquals(Optional.of(new FleetLimits(18, 3, 3, 20, 8, 200)), plan.limits());
        assertEquals(0, plan.hpaMinReplicas());
        assertFalse(plan.autoscaled());
    }

    @Test
    void theAutoscalersMinimumIsCappedByTheBudget() {
        // at least 5 per pod: 3 pods fit, 2 replicas + surge 1; the spec's minimum 4 falls to 2
        FleetPlan plan = FleetPlanner.plan(request(10, 5, OptionalInt.of(4)));
        assertEquals(2, plan.budget().maxReplicas());
        assertEquals(2, plan.hpaMinReplicas());
        assertEquals(20, plan.startingWorkers()); // 5 x 4
    }

    @Test
    void noPodFitsNoLimitsToShare() {
        FleetPlan plan = FleetPlanner.plan(request(2, 19, OptionalInt.of(1)));
        assertEquals(0, plan.budget().podsCounted());
        assertEquals(Optional.empty(), plan.limits());
        assertEquals(1, plan.hpaMinReplicas(), "an autoscaler never asks for zero pods");
    }

    @Test
    void invalidWorkerBoundsAreRefused() {
        var budget = new BudgetRequest(DATABASE, null, 0, 2, 1, 2, 20, 50);
        assertThrows(IllegalArgumentException.class, () -> new PlanRequest(budget, 0, 10, 4, OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> new PlanRequest(budget, 8, 4, 4, OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> new PlanRequest(budget, 8, 16, 0, OptionalInt.empty()));
    }
}
