package io.regfleet.control.budget;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionBudgetCalculatorTest {

    @Test
    void splitsWhatIsAvailableAcrossReplicasAndSurge() {
        // 100 - (3 superuser + 0 reserved + 5 spec + 2 operator) - 10 others = 80; 3 replicas + 1 surge = 4 pods -> 20 each
        var limits = new DatabaseLimits(100, 3, 0, DatabaseLimits.UNLIMITED, 10, false);
        ConnectionBudget b = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 5, 3, 1, 2, 50, 100));
        assertEquals(10, b.reserved());
        assertEquals(80, b.available());
        assertEquals(4, b.podsCounted());
        assertEquals(20, b.perPodFloor());
        assertEquals(80, b.allocatedTotal());
        assertEquals(3, b.maxReplicas());
        assertFalse(b.capped());
    }

    @Test
    void clampsToThePerPodMaximum() {
        var limits = new DatabaseLimits(500, 3, 0, DatabaseLimits.UNLIMITED, 0, false);
        ConnectionBudget b = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 0, 2, 1, 2, 20, 100));
        assertEquals(20, b.perPodFloor());
        assertEquals(60, b.allocatedTotal());
    }

    @Test
    void overrideAuroraAndPostgres16ReservesCount() {
        // override 200; reserved 3 + 2 (reserved_connections) + 3 (Aurora) + 0 spec + 2 operator = 10; others 6 -> 184
        var limits = new DatabaseLimits(5000, 3, 2, DatabaseLimits.UNLIMITED, 6, true);
        ConnectionBudget b = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, 200, 0, 7, 1, 2, 100, 100));
        assertEquals(200, b.serverMaxConnections());
        assertEquals(10, b.reserved());
        assertEquals(184, b.available());
        assertEquals(23, b.perPodFloor()); // 184 / 8
    }

    @Test
    void theRoleLimitBindsWhenLower() {
        // server would allow 95, the role 12 - 2 operator = 10
        var limits = new DatabaseLimits(100, 3, 0, 12, 0, false);
        ConnectionBudget b = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 0, 4, 1, 2, 20, 100));
        assertEquals(10, b.available());
        assertEquals(2, b.perPodFloor());
        assertEquals(10, b.allocatedTotal());
        assertFalse(b.capped());
    }

    @Test
    void capsReplicasWhenTheMinimumDoesNotFit() {
        // 20 - 3 - 2 - 5 others = 10 available; 10 replicas + 1 surge at >= 3 each need 33: 3 pods fit -> 2 replicas + 1 surge
        var limits = new DatabaseLimits(20, 3, 0, DatabaseLimits.UNLIMITED, 5, false);
        ConnectionBudget b = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 0, 10, 1, 3, 20, 100));
        assertTrue(b.capped());
        assertEquals(2, b.maxReplicas());
        assertEquals(1, b.maxSurge());
        assertEquals(3, b.perPodFloor());
        assertEquals(9, b.allocatedTotal());
    }

    @Test
    void dropsTheSurgeWhenOnlyOnePodFitsAndDeploysNothingWhenNoneDoes() {
        var one = new DatabaseLimits(10, 3, 0, DatabaseLimits.UNLIMITED, 1, false); // 4 available
        ConnectionBudget b = ConnectionBudgetCalculator.compute(new BudgetRequest(one, null, 0, 3, 1, 4, 20, 100));
        assertEquals(1, b.maxReplicas());
        assertEquals(0, b.maxSurge());
        assertEquals(4, b.allocatedTotal());

        var none = new DatabaseLimits(5, 3, 0, DatabaseLimits.UNLIMITED, 4, false); // negative -> 0
        ConnectionBudget z = ConnectionBudgetCalculator.compute(new BudgetRequest(none, null, 0, 3, 1, 2, 20, 100));
        assertEquals(0, z.available());
        assertEquals(0, z.maxReplicas());
        assertEquals(0, z.podsCounted());
        assertEquals(0, z.allocatedTotal());
        assertTrue(z.capped());
    }

    @Test
    void aFloorPercentKeepsThatShareOfTheEvenSplitAndLeavesTheRestToShare() {
        // 80 available over 4 pods: even split 20; 50% -> floor 10, 40 allocated, 40 shared by demand
        var limits = new DatabaseLimits(100, 3, 0, DatabaseLimits.UNLIMITED, 10, false);
        ConnectionBudget b = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 5, 3, 1, 2, 50, 50));
        assertEquals(80, b.available());
        assertEquals(10, b.perPodFloor());
        assertEquals(40, b.allocatedTotal());
        assertFalse(b.capped());
        assertTrue(b.explain(2, 50).contains("floor of 10 per pod (50% of the even split) = 40; the other 40 shared by demand"),
                b.explain(2, 50));
        // 80 * 33 / 100 = 26 (integer), / 4 pods = 6
        assertEquals(6, ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 5, 3, 1, 2, 50, 33)).perPodFloor());
    }

    @Test
    void theFloorNeverFallsBelowThePerPodMinimumNorRisesAboveItsMaximum() {
        // 18 available over 3 pods: 1% of the split is 0, raised to the minimum 4; capping still uses the minimum
        var limits = new DatabaseLimits(30, 3, 0, 20, 0, false); // role 20 - 2 = 18
        ConnectionBudget low = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 0, 2, 1, 4, 20, 1));
        assertEquals(4, low.perPodFloor());
        assertEquals(12, low.allocatedTotal());
        assertFalse(low.capped());
        // 500 available over 3: 90% is 150 per pod, clamped to the maximum 20
        var big = new DatabaseLimits(505, 3, 0, DatabaseLimits.UNLIMITED, 0, false);
        assertEquals(20, ConnectionBudgetCalculator.compute(new BudgetRequest(big, null, 0, 2, 1, 2, 20, 90)).perPodFloor());
        // capped fleets: the capped pods still fit at the minimum
        var tight = new DatabaseLimits(20, 3, 0, DatabaseLimits.UNLIMITED, 5, false); // 10 available
        ConnectionBudget capped = ConnectionBudgetCalculator.compute(new BudgetRequest(tight, null, 0, 10, 1, 3, 20, 50));
        assertTrue(capped.capped());
        assertEquals(3, capped.podsCounted());
        assertEquals(3, capped.perPodFloor());
    }

    @Test
    void aFloorPercentOutsideOneToHundredIsRefused() {
        var limits = new DatabaseLimits(100, 3, 0, DatabaseLimits.UNLIMITED, 0, false);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BudgetRequest(limits, null, 0, 2, 1, 2, 20, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new BudgetRequest(limits, null, 0, 2, 1, 2, 20, 101));
    }
}
