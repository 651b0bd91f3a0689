package io.regfleet.fleet.local;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.ConnectionBudgetCalculator;
import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.probe.JdbcDatabaseLimitsProbe;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.LatencyProxy;
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
 * Hot standbys of the fleets' PostgreSQL ({@code make run READ_REPLICAS=n}), and each pod's part of every one of
 * them: each standby's budget, from its own live limits, split evenly over every pod slot of every fleet started on
 * the server, so the pool maxima on each standby stay within what it allows. A fleet that rebalances shares its part
 * of each standby by demand ({@link #parts}); one that does not gives every pod the even split. With a database
 * latency, the pods reach each standby through a latency proxy of its own, as they reach the primary.
 */
final class ReadReplicas implements AutoCloseable {
    private final EmbeddedPostgresServer primary;
    private final List<EmbeddedPostgresServer> standbys;
    private final List<String> names;
    /** Each standby's even split per pod slot, in the standbys' order. */
    private final List<Integer> pools;
    /** Each standby's latency proxy, in the standbys' order; empty without a database latency. */
    private final List<LatencyProxy> proxies;

    private ReadReplicas(EmbeddedPostgresServer primary, List<EmbeddedPostgresServer> standbys, List<String> names,
                         List<Integer> pools, List<LatencyProxy> proxies) {
        this.primary = primary;
        this.standbys = standbys;
        this.names = names;
        this.pools = pools;
        this.proxies = proxies;
    }

    /**
     * Starts {@code count} standbys of {@code primary} (with the primary's max_connections, as a hot standby needs)
     * and sizes the pods' pools on them; on failure stops what started.
     *
     * @param slots every pod that can exist on the server, all fleets together
     */
    static ReadReplicas start(EmbeddedPostgresServer primary, int count, FleetOptions options, int slots) {
        List<EmbeddedPostgresServer> standbys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<LatencyProxy> proxies = new ArrayList<>();
        ReadReplicas started = new ReadReplicas(primary, standbys, names, List.of(), proxies);
        Closer.startOrClose(() -> {
            for (int i = 1; i <= count; i++) {
                names.add("standby" + i);
                EmbeddedPostgresServer standby = StreamingReplica.of(primary, "standby" + i,
                        Map.of("max_connections", Integer.toString(options.maxConnections())));
                standbys.add(standby);
                if (!options.databaseLatency().isZero()) {
                    proxies.add(LatencyProxy.start("127.0.0.1", standby.port(), options.databaseLatency()));
                }
            }
        }, started);
        try { // a standby whose limits cannot be read, or that has no room, stops every one started
            List<Integer> pools = standbys.stream().map(s -> poolPerPod(s, options, slots)).toList();
            if (pools.stream().anyMatch(pool -> pool < 1)) {
                throw new IllegalStateException("a read replica with max_connections " + options.maxConnections()
                        + " has no room for " + slots + " pods at 1 connection each");
            }
            return new ReadReplicas(primary, standbys, names, pools, proxies);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    private static int poolPerPod(EmbeddedPostgresServer standby, FleetOptions options, int slots) {
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

    /** The even split per pod: the smallest standby's, so every pod's pool on each stays within its budget. */
    int poolPerPod() {
        return pools.stream().mapToInt(Integer::intValue).min().orElse(0);
    }

    /** By standby ({@code host:port}), what a fleet of {@code slots} pod slots may hold there: its even split each. */
    Map<String, Integer> parts(int slots) {
        Map<String, Integer> parts = new LinkedHashMap<>();
        for (int i = 0; i < standbys.size(); i++) {
            parts.put(address(i), pools.get(i) * slots);
        }
        return parts;
    }

    /** Where the pods reach the {@code i}th standby: its latency proxy, if any. */
    private String address(int i) {
        return "127.0.0.1:" + (proxies.isEmpty() ? standbys.get(i).port() : proxies.get(i).port());
    }

    private String addresses(String separator) {
        return java.util.stream.IntStream.range(0, standbys.size()).mapToObj(this::address).collect(Collectors.joining(separator));
    }

    /** What every pod is given: where the standbys are, and its pool on each (a rebalancing fleet starts lower). */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PodSetting.DB_READ_REPLICAS.property(), addresses(","));
        p.put(PodSetting.POOL_REPLICA_MAX_SIZE.property(), Integer.toString(poolPerPod()));
        return p;
    }

    /** {@code read replicas 127.0.0.1:40001, 127.0.0.1:40002: 3 on each per pod slot}. */
    String describe() {
        return "read replicas " + addresses(", ") + ": " + poolPerPod() + " on each per pod slot";
    }

    /**
     * Stops the standbys (their copies deleted with them), then drops their slots on the primary (if it still runs)
     * so it keeps no WAL for them.
     */
    @Override
    public void close() {
        Closer.closeAll(proxies.toArray(AutoCloseable[]::new));
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
