package io.regfleet.control.plan;

import io.regfleet.control.budget.BudgetRequest;

import java.util.OptionalInt;

/**
 * A transaction pooler (PgBouncer) in front of a fleet's database. Two budgets then: the server side is the pooler's,
 * each instance's server connections ({@code max_db_connections}) being what the fleet claims of the database, fixed
 * by the budget and never shared by demand (a change restarts the pooler); the client side is the pods', whose pools
 * are client connections of the pooler, shared by demand up to its client limit, so they may hold more than the
 * server gives (a pod holds a server connection only while a transaction runs).
 *
 * @param replicas           pooler instances serving at once
 * @param perInstanceMinimum fewest server connections an instance may be given
 * @param perInstanceMaximum most server connections an instance may be given
 * @param clientConnections  the pooler's client limit ({@code max_client_conn}): what the pods' pools share; every
 *                           pod may reach the same instance, so it bounds them all together
 */
public record PoolerRequest(int replicas, int perInstanceMinimum, int perInstanceMaximum, int clientConnections) {
    /** Beyond the replicas: one instance may still be draining while its replacement starts (a rollout replaces one at a time). */
    public static final int REPLACEMENT_SLOTS = 1;

    public PoolerRequest {
        if (replicas < 1 || perInstanceMinimum < 1 || perInstanceMaximum < perInstanceMinimum || clientConnections < 1) {
            throw new IllegalArgumentException("invalid pooler request: " + replicas + " replicas, " + perInstanceMinimum
                    + ".." + perInstanceMaximum + " server connections each, " + clientConnections + " clients");
        }
    }

    /**
     * What the pooler claims of the server, as a fleet without a rebalancer: its instances (and the one being
     * replaced) each at the whole even split of the fleet's budget, within the per-instance bounds.
     *
     * @param database the fleet's own request: the server's limits, the spec's override and reserve
     */
    public PlanRequest serverRequest(BudgetRequest database) {
        BudgetRequest server = new BudgetRequest(database.limits(), database.maxConnectionsOverride(), database.specReserved(),
                replicas, REPLACEMENT_SLOTS, perInstanceMinimum, perInstanceMaximum, 100);
        return new PlanRequest(server, 1, 1, 1, OptionalInt.empty());
    }

    /** The pods' plan against the pooler: their pools share its client limit by demand, as they would a server's. */
    public FleetPlan clientPlan(PlanRequest pods) {
        return FleetPlanner.planWithin(pods, clientConnections);
    }
}
