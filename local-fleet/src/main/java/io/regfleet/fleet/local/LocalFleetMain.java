package io.regfleet.fleet.local;

import io.regfleet.fleet.PodContract;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make run REPLICAS=n [REGISTRIES=m]}: m local fleets (one by default) on one PostgreSQL, data in
 * {@code .regfleet/fleet}, front addresses on 127.0.0.1:5000, 5001, ... and each fleet's allocation table (with the
 * server's shares) printed after every round. Ctrl-C stops everything.
 * System properties: {@code regfleet.replicas}, {@code regfleet.registries}, {@code regfleet.max-replicas}, {@code regfleet.interval} (e.g. 2s),
 * {@code regfleet.port}, {@code regfleet.postgres.port}, {@code regfleet.max-connections},
 * {@code regfleet.database-latency} (e.g. 2ms), {@code regfleet.read-replicas} (hot standbys for the reads that tolerate
 * lag), {@code regfleet.home}, {@code regfleet.metrics.port} (the operator's
 * metrics of these fleets, default 9400), {@code regfleet.view-port} (the live view, {@link LiveView}: the allocation
 * tables and their history in a browser).
 */
public final class LocalFleetMain {
    /** The live view's port ({@code regfleet.view-port}); a free one when it is taken. */
    private static final int VIEW_PORT = 5080;

    private LocalFleetMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int replicas = number("regfleet.replicas", 3);
        int registries = number("regfleet.registries", 1);
        FleetOptions options = FleetOptions.defaults()
                .withReplicas(replicas, number("regfleet.max-replicas", Math.max(replicas, 4)))
                .withHome(Path.of(System.getProperty("regfleet.home", ".regfleet/fleet")))
                .withMaxConnections(number("regfleet.max-connections", 60))
                .withPorts(number("regfleet.port", PodContract.HTTP_PORT), number("regfleet.postgres.port", 54339))
                .withTiming(duration(System.getProperty("regfleet.interval", "10s")), Duration.ofSeconds(10))
                .withDatabaseLatency(duration(System.getProperty("regfleet.database-latency", "0ms")))
                .withReadReplicas(number("regfleet.read-replicas", 0));
        System.out.printf("starting %d registr%s of %d replicas (at most %d) on PostgreSQL max_connections %d ...%n",
                registries, registries == 1 ? "y" : "ies", options.replicas(), options.maxReplicas(), options.maxConnections());
        LocalFleets fleets = LocalFleets.start(options, registries);
        FleetMetricsEndpoint metrics = FleetMetricsEndpoint.start(number("regfleet.metrics.port", 9400));
        LiveView view = LiveView.start(number("regfleet.view-port", VIEW_PORT), fleets::fleets);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            view.close();
            metrics.close();
            fleets.close();
            System.out.println("local fleets stopped");
            stopped.countDown();
        }, "local-fleet-shutdown"));
        System.out.printf("%nPostgreSQL on 127.0.0.1:%d, user postgres/postgres (data in %s); %s%n",
                fleets.database().port(), fleets.database().dataDirectory(), fleets.shares().server());
        if (fleets.readReplicasDescribed() != null) {
            System.out.println(fleets.readReplicasDescribed());
        }
        for (LocalFleet fleet : fleets.fleets()) {
            System.out.printf("%nRegfleet registry %s ready at %s (database %s)%n", fleet.registry(), fleet.front(),
                    fleet.replicaJdbcUrl().substring(fleet.replicaJdbcUrl().lastIndexOf('/') + 1));
            System.out.printf("share: %s%n", fleet.limits());
            for (Replica r : fleet.replicas()) {
                System.out.printf("  %s  api %s  management %s  log %s%n", r.name(), r.api(), r.management(), r.process().log());
            }
            fleet.addListener(new AllocationTable(System.out, fleet.registry(), fleet.shares()));
            fleet.replicaRebalancers().forEach((replica, rebalancing) ->
                    rebalancing.rebalancer().addListener(AllocationTable.ofReplica(System.out, fleet.registry(), replica)));
            metrics.watch(fleet);
        }
        System.out.printf("%nthe operator's metrics of these fleets on %s%n", metrics.uri());
        System.out.printf("allocation tables every %s; Ctrl-C stops everything.%n", options.interval());
        System.out.printf("live view (the tables and their history): %s%n%n", view.url());
        stopped.await();
    }

    /** A whole number set with {@code -D} (a Makefile variable), or the default; anything else stops with its name. */
    static int number(String property, int otherwise) {
        String text = System.getProperty(property);
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a whole number, not \"" + text + "\"");
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, or an ISO-8601 duration ({@code PT2S}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: " + text + " (use 500ms, 2s, 1m or PT2S)", e);
        }
    }
}
