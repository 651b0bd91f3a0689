package io.regfleet.operator.plan;

import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.pooler.PgBouncerSettings;
import io.regfleet.operator.api.v1alpha1.PoolerSpec;
import io.regfleet.operator.naming.FleetNames;

/**
 * PgBouncer in front of the database (spec.database.pooler) as the budget sizes it: its server connections come out of
 * the Registry's share of the server, the pods' pools out of its client limit.
 *
 * @param spec      the spec's pooler settings
 * @param settings  what its pgbouncer.ini says
 * @param password  the role's password, for its auth file
 * @param instances PgBouncer pods (0 while the server has no room for one)
 * @param slots     instances counted on the server: the replicas and one a rollout replaces
 */
public record PoolerPlan(PoolerSpec spec, PgBouncerSettings settings, String password, int instances, int slots) {
    /** Where PgBouncer listens in its pod, and where its Service forwards. */
    public static final int PORT = 6432;

    /** Server connections the pooler may hold at once, every slot at its max_db_connections. */
    public long serverTotal() {
        return (long) slots * settings.serverConnections();
    }

    /** Digest of what PgBouncer reads at start: a change restarts its pods. */
    public String configHash() {
        return FleetNames.sha256(settings.ini("") + "|" + PgBouncerSettings.userlist(settings.server().user(), password)
                + "|" + spec.image).substring(0, 16);
    }

    /** The ConnectionBudgetReady account of a pooled fleet: the pods' side against PgBouncer, then PgBouncer's against the server. */
    public String explain(ConnectionBudget pods) {
        return "the pods share PgBouncer's %d client connections: %d pods counted (replicas %d + surge %d) with a floor of %d per pod%s; PgBouncer: %d pods + %d replaced at %d server connections each = %d"
                .formatted(settings.clientConnections(), pods.podsCounted(), pods.maxReplicas(), pods.maxSurge(),
                        pods.perPodFloor(), pods.capped() ? " (capped: " + pods.desiredReplicas() + " replicas do not fit)" : "",
                        instances, slots - instances, settings.serverConnections(), serverTotal());
    }
}
