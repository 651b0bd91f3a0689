package io.regfleet.fleet.local;

import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.rebalance.FleetLimits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalBudgetTest {
    /** max_connections 60, 3 superuser-reserved, nobody else: the fleet may hold 60 - 3 - 2 (probe, migration) = 55. */
    private static final DatabaseLimits DATABASE = new DatabaseLimits(60, 3, 0, DatabaseLimits.UNLIMITED, 0, false);

    @Test
    void rebalancedFleetKeepsItsFloorPercentOfTheEvenSplit() {
        FleetLimits limits = LocalBudget.plan(DATABASE, FleetOptions.defaults().withReplicas(3, 4).withRebalance(50))
                .limits().orElseThrow();
        assertEquals(55, limits.available());
        assertEquals(4, limits.slots());
        assertEquals(6, limits.floor()); // 55 * 50 % / 4 = 6.9
    }

    @Test
    void staticSplitIsTheWholeEvenSplitCappedAtThePoolMaximum() {
        FleetOptions options = FleetOptions.defaults().withReplicas(3, 4).withStaticSplit();
        assertEquals(13, LocalBudget.plan(DATABASE, options).startingPoolMax()); // 55 / 4
        assertEquals(10, LocalBudget.plan(DATABASE, options.withPoolMaximum(10)).startingPoolMax());
    }

    @Test
    void tooSmallADatabaseIsAClearError() {
        DatabaseLimits tiny = new DatabaseLimits(8, 3, 0, DatabaseLimits.UNLIMITED, 0, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalBudget.plan(tiny, FleetOptions.defaults().withReplicas(3, 3)));
        assertTrue(e.getMessage().contains("not enough for 3 replicas"), e.getMessage());
    }
}
