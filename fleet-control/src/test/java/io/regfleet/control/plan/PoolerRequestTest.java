package io.regfleet.control.plan;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.share.ServerIdentity;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.control.share.ShareClaim;
import io.regfleet.control.share.ShareCoordinator;
import io.regfleet.control.share.SharedFleet;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fleet behind PgBouncer: the server side is the pooler's, fixed by the budget; the pods share its client limit. */
class PoolerRequestTest {
    private static final DatabaseLimits DATABASE = new DatabaseLimits(40, 3, 0, DatabaseLimits.UNLIMITED, 1, false);
    private static final BudgetRequest PODS = new BudgetRequest(DATABASE, null, 0, 6, 1, 2, 50, 50);

    @Test
    void thePoolersInstancesShareTheServerBudgetAndThePodsItsClientLimit() {
        PoolerRequest pooler = new PoolerRequest(2, 2, 100, 200);
        PlanRequest server = pooler.serverRequest(PODS);
        // 40 - 3 - 1 foreign, less 2 (probe, migration): 34 over 2 instances + 1 being replaced: 11 each, all of it
        FleetPlan servers = FleetPlanner.plan(server);
        assertEquals(3, servers.budget().podsCounted());
        assertEquals(11, servers.startingPoolMax(), "max_db_connections of each instance");
        assertTrue(servers.budget().allocatedTotal() <= servers.budget().available());

        // 7 pods (6 + surge) share PgBouncer's 200 clients: each starts at 50% of the even split, more than the server has
        FleetPlan pods = pooler.clientPlan(new PlanRequest(PODS, 8, 200, 4, OptionalInt.empty()));
        assertEquals(new FleetLimits(200, 7, 14, 50, 8, 200), pods.limits().orElseThrow());
        assertTrue(pods.startingPoolMax() * 7 > servers.budget().allocatedTotal(), "client pools may be larger than the server side");
    }

    @Test
    void onASharedServerThePoolerIsAFleetWithoutARebalancer() {
        PoolerRequest pooler = new PoolerRequest(1, 2, 100, 100);
        ShareClaim claim = new ShareClaim("ns/pooled", "pooled", 1, 0, false, pooler.serverRequest(PODS));
        SharedFleet shared = ShareCoordinator.withDefaults().join(
                new ServerSnapshot(new ServerIdentity("1", "db:5432"), DATABASE, Map.of()), claim);
        // alone: all of 40 - 3 - 1 - 2 = 34 guaranteed, 17 for each of the instance and the one replacing it
        assertEquals(17, shared.plan().startingPoolMax());
        assertEquals(34, shared.plan().limits().orElseThrow().available());
    }

    @Test
    void anInvalidRequestIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PoolerRequest(0, 1, 2, 10));
        assertThrows(IllegalArgumentException.class, () -> new PoolerRequest(1, 3, 2, 10));
    }
}
