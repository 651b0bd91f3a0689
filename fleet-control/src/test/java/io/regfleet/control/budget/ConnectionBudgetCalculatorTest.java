package io.regfleet.control.budget;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ConnectionBudgetCalculatorTest {
    private static final int UNLIMITED = DatabaseLimits.UNLIMITED;

    /** A budget of {@code database} for desired replicas, surge, per-pod bounds and floor share (no override, no reserve). */
    private static ConnectionBudget budget(DatabaseLimits database, int replicas, int surge, int min, int max, int floorPercent) {
        return ConnectionBudgetCalculator.compute(new BudgetRequest(database, null, 0, replicas, surge, min, max, floorPercent));
    }

    @Test
    void splitsWhatIsAvailableAcrossReplicasAndSurge() {
        // 100 - (3 superuser + 0 reserved + 5 spec + 2 operator) - 10 others = 80; 3 replicas + 1 surge = 4 pods -> 20 each
        ConnectionBudget b = ConnectionBudgetCalculator.compute(
                new BudgetRequest(new DatabaseLimits(100, 3, 0, UNLIMITED, 10, false), null, 5, 3, 1, 2, 50, 100));
        assertEquals(10, b.reserved());
        assertEquals(new BudgetSplit(80, 3, 1, 4, 20, 80, false), BudgetSplit.of(b));
    }

    @Test
    void overrideAuroraAndPostgres16ReservesCount() {
        // override 200; reserved 3 + 2 (reserved_connections) + 3 (Aurora) + 0 spec + 2 operator = 10; others 6 -> 184
        var limits = new DatabaseLimits(5000, 3, 2, UNLIMITED, 6, true);
        ConnectionBudget b = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, 200, 0, 7, 1, 2, 100, 100));
        assertEquals(200, b.serverMaxConnections());
        assertEquals(10, b.reserved());
        assertEquals(new BudgetSplit(184, 7, 1, 8, 23, 184, false), BudgetSplit.of(b)); // 184 / 8
    }

    /** Budgets computed by hand: each request and the split that must come out of it. */
    static Stream<Arguments> handComputed() {
        return Stream.of(
                // 500 - 3 - 2 operator = 495 over 2 replicas + 1 surge: 165 each, clamped to the per-pod maximum 20
                arguments(request(new DatabaseLimits(500, 3, 0, UNLIMITED, 0, false), 2, 1, 2), new BudgetSplit(495, 2, 1, 3, 20, 60, false)),
                // the role's limit binds when lower: the server would allow 95, the role 12 - 2 operator = 10
                arguments(request(new DatabaseLimits(100, 3, 0, 12, 0, false), 4, 1, 2), new BudgetSplit(10, 4, 1, 5, 2, 10, false)),
                // 20 - 3 - 2 - 5 others = 10; 10 replicas + 1 surge at >= 3 each need 33: 3 pods fit -> 2 replicas + 1 surge
                arguments(request(new DatabaseLimits(20, 3, 0, UNLIMITED, 5, false), 10, 1, 3), new BudgetSplit(10, 2, 1, 3, 3, 9, true)),
                // 4 available: only one pod fits at the minimum 4, so the surge goes
                arguments(request(new DatabaseLimits(10, 3, 0, UNLIMITED, 1, false), 3, 1, 4), new BudgetSplit(4, 1, 0, 1, 4, 4, true)),
                // less than nothing available (others hold more than the rest): nothing is deployed
                arguments(request(new DatabaseLimits(5, 3, 0, UNLIMITED, 4, false), 3, 1, 2), new BudgetSplit(0, 0, 0, 0, 0, 0, true)));
    }

    /** Replicas, surge and a per-pod minimum; at most 20 per pod, the whole even split as the floor. */
    private static BudgetRequest request(DatabaseLimits database, int replicas, int surge, int perPodMinimum) {
        return new BudgetRequest(database, null, 0, replicas, surge, perPodMinimum, 20, 100);
    }

    @ParameterizedTest
    @MethodSource("handComputed")
    void splitsAsComputedByHand(BudgetRequest request, BudgetSplit expected) {
        assertEquals(expected, BudgetSplit.of(ConnectionBudgetCalculator.compute(request)));
    }

    @Test
    void aFloorPercentKeepsThatShareOfTheEvenSplitAndLeavesTheRestToShare() {
        // 80 available over 4 pods: even split 20; 50% -> floor 10, 40 allocated, 40 shared by demand
        var limits = new DatabaseLimits(100, 3, 0, UNLIMITED, 10, false);
        ConnectionBudget b = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 5, 3, 1, 2, 50, 50));
        assertEquals(new BudgetSplit(80, 3, 1, 4, 10, 40, false), BudgetSplit.of(b));
        assertTrue(b.explain(2, 50).contains("floor of 10 per pod (50% of the even split) = 40; the other 40 shared by demand"),
                b.explain(2, 50));
        // 80 * 33 / 100 = 26 (integer), / 4 pods = 6
        assertEquals(6, ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 5, 3, 1, 2, 50, 33)).perPodFloor());
    }

    @Test
    void theFloorNeverFallsBelowThePerPodMinimumNorRisesAboveItsMaximum() {
        // 18 available over 3 pods: 1% of the split is 0, raised to the minimum 4; capping still uses the minimum
        ConnectionBudget low = budget(new DatabaseLimits(30, 3, 0, 20, 0, false), 2, 1, 4, 20, 1); // role 20 - 2 = 18
        assertEquals(new BudgetSplit(18, 2, 1, 3, 4, 12, false), BudgetSplit.of(low));
        // 500 available over 3: 90% is 150 per pod, clamped to the maximum 20
        assertEquals(20, budget(new DatabaseLimits(505, 3, 0, UNLIMITED, 0, false), 2, 1, 2, 20, 90).perPodFloor());
        // capped fleets: the capped pods still fit at the minimum (10 available)
        ConnectionBudget capped = budget(new DatabaseLimits(20, 3, 0, UNLIMITED, 5, false), 10, 1, 3, 20, 50);
        assertEquals(new BudgetSplit(10, 2, 1, 3, 3, 9, true), BudgetSplit.of(capped));
    }

    @Test
    void aFloorPercentOutsideOneToHundredIsRefused() {
        var limits = new DatabaseLimits(100, 3, 0, UNLIMITED, 0, false);
        assertThrows(IllegalArgumentException.class, () -> new BudgetRequest(limits, null, 0, 2, 1, 2, 20, 0));
        assertThrows(IllegalArgumentException.class, () -> new BudgetRequest(limits, null, 0, 2, 1, 2, 20, 101));
        assertFalse(budget(limits, 2, 1, 2, 20, 100).capped(), "1..100 is accepted");
    }
}
