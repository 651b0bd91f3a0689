package io.regfleet.fleet.local;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.ConnectionBudgetCalculator;
import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.probe.JdbcDatabaseLimitsProbe;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.StreamingReplica;
import io.regfleet.fleet.PodSetting;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Hot standbys of the fleets' PostgreSQL ({@code make run READ_REPLICAS=n}), and each pod's pool on every one of
 * them: each standby's budget, from its own live limits, split evenly over every pod slot of every fleet started on
 * the server (no rebalancing of replica pools yet), so the pool maxima on each standby stay within what it allows.
 */
final class ReadReplicas implements AutoCloseable {
    private final EmbeddedPostgresServer primary;
    private final List<EmbeddedPostgresServer> standbys;
    private final List<String> names;
    private final int poolPerPod;

    private ReadReplicas(EmbeddedPostgresServer primary, List<EmbeddedPostgresServer> standbys, List<String> names,
                         int poolPerPod) {
        this.primary = primary;
        this.standbys = standbys;
        this.names = names;
        this.poolPerPod = poolPerPod;
    }

    /**
     * Starts {@code count} standbys of {@code primary} (with the primary's max_connections, as a hot standby needs)
     * and sizes the pods' pools on them; on failure stops what started.
     *
     * @param slots every pod that can exist on the server, all fleets together
     */
    static ReadReplicas start(EmbeddedPostgresServer primary, int count, LocalFleet.Options options, int slots) {
        List<EmbeddedPostgresServer> standbys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        ReadReplicas started = new ReadReplicas(primary, standbys, names, 0);
        Closer.startOrClose(() -> {
            for (int i = 1; i <= count; i++) {
                names.add("standby" + i);
                standbys.add(StreamingReplica.of(primary, "standby" + i,
                        Map.of("max_connections", Integer.toString(options.maxConnections()))));
            }
        }, started);
        int pool = standbys.stream().mapToInt(s -> poolPerPod(s, options, slots)).min().orElse(0);
        if (pool < 1) {
            started.close();
            throw new IllegalStateException("a read replica with max_connections " + options.maxConnections()
                    + " has no room for " + slots + " pods at 1 connection each");
        }
        return new ReadReplicas(primary, standbys, names, pool);
    }

    private static int poolPerPod(EmbeddedPostgresServer standby, LocalFleet.Options options, int slots) {
        try {
            var limits = new JdbcDatabaseLimitsProbe(Duration.ofSeconds(5)).probe(new DatabaseConnectionInfo("127.0.0.1",
                    standby.port(), "postgres", EmbeddedPostgresServer.SUPERUSER, "postgres", "disable"));
            ConnectionBudget budget = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 0, slots, 0, 1,
                    options.poolMaximum(), 100));
            return budget.capped() ? 0 : budget.perPodFloor();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read a read replica's limits: " + e.getMessage(), e);
        }
    }

    List<EmbeddedPostgresServer> standbys() {
        return List.copyOf(standbys);
    }

    int poolPerPod() {
        return poolPerPod;
    }

    /** What every pod is given: where the standbys are, and its pool on each. */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PodSetting.DB_READ_REPLICAS.property(),
                standbys.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(",")));
        p.put(PodSetting.POOL_REPLICA_MAX_SIZE.property(), Integer.toString(poolPerPod));
        return p;
    }

    /** {@code read replicas 127.0.0.1:40001, 127.0.0.1:40002: a pool of 3 on each per pod}. */
    String describe() {
        return "read replicas " + standbys.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(", "))
                + ": a pool of " + poolPerPod + " on each per pod";
    }

    /**
     * Stops the standbys (their copies deleted with them), then drops their slots on the primary (if it still runs)
     * so it keeps no WAL for them.
     */
    @Override
    public void close() {
        Closer.closeAll(standbys.toArray(AutoCloseable[]::new));
        try {
            if (primary.isRunning()) {
                names.forEach(n -> StreamingReplica.dropSlot(primary, n));
            }
        } catch (IllegalStateException e) {
            // the primary went first (at Ctrl-C the embedded server's own shutdown hook may stop it): a kept primary's
            // slot is dropped when the next standby of that name is made
        }
    }
}
