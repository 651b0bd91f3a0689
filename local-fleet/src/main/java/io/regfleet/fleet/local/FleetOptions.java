package io.regfleet.fleet.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a local fleet is started ({@link LocalFleet#start}); {@link #defaults()} and the {@code with...} edits.
 *
 * @param replicas         replicas started at once
 * @param maxReplicas      the most replicas the fleet may have ({@link LocalFleet#addReplica()} up to it); the budget counts
 *                         this many slots
 * @param maxConnections   PostgreSQL's max_connections
 * @param home             folder for pgdata, blobs, token and logs kept between runs; null: temporary folders
 * @param rebalance        run the rebalancer; false: every replica keeps the even split (floorPercent 100)
 * @param floorPercent     share of the budget every slot keeps at least, in percent of the even split
 * @param interval         time between rebalance rounds
 * @param agentWindow      the window of the replicas' usage reports
 * @param poolMaximum      largest pool a replica may be given (the rebalancer's pool ceiling)
 * @param workersMinimum   fewest workers a replica may be given
 * @param workersMaximum   most workers a replica may be given
 * @param databaseLatency  delay on every answer of PostgreSQL (a network hop); ZERO: none
 * @param s3               blobs on an S3Proxy child process (needs system property s3proxy.jar); else a folder
 * @param frontPort        port of the front address; 0: a free port
 * @param postgresPort     port of PostgreSQL; 0: a free port
 * @param extraProperties  more system properties for every replica
 * @param readReplicas     hot standbys of the PostgreSQL the replicas read from (0: none)
 */
public record FleetOptions(int replicas, int maxReplicas, int maxConnections, Path home, boolean rebalance,
                      int floorPercent, Duration interval, Duration agentWindow, int poolMaximum,
                      int workersMinimum, int workersMaximum, Duration databaseLatency, boolean s3,
                      int frontPort, int postgresPort, Map<String, String> extraProperties, int readReplicas) {
    public FleetOptions {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(agentWindow, "agentWindow");
        Objects.requireNonNull(databaseLatency, "databaseLatency");
        extraProperties = Map.copyOf(extraProperties);
        if (replicas < 1 || maxReplicas < replicas) {
            throw new IllegalArgumentException("need 1 <= replicas <= maxReplicas: " + replicas + ", " + maxReplicas);
        }
        if (readReplicas < 0) {
            throw new IllegalArgumentException("readReplicas must not be negative: " + readReplicas);
        }
        if (floorPercent < 1 || floorPercent > 100) {
            throw new IllegalArgumentException("floorPercent must be 1..100: " + floorPercent);
        }
        if (poolMaximum < LocalBudget.PER_POD_MINIMUM || workersMinimum < 1 || workersMaximum < workersMinimum) {
            throw new IllegalArgumentException("invalid bounds: pool maximum " + poolMaximum + ", workers "
                    + workersMinimum + ".." + workersMaximum);
        }
        if (interval.isNegative() || interval.isZero() || agentWindow.isNegative() || agentWindow.isZero()
                || databaseLatency.isNegative()) {
            throw new IllegalArgumentException("interval and agent window must be positive, latency not negative");
        }
    }

    public static FleetOptions defaults() {
        return new FleetOptions(2, 4, 60, null, true, 50, Duration.ofSeconds(10), Duration.ofSeconds(10), 20, 4, 64,
                Duration.ZERO, false, 0, 0, Map.of(), 0);
    }

    public FleetOptions withReplicas(int replicas, int maxReplicas) {
        return edit(d -> { d.replicas = replicas; d.maxReplicas = maxReplicas; });
    }

    public FleetOptions withMaxConnections(int maxConnections) {
        return edit(d -> d.maxConnections = maxConnections);
    }

    public FleetOptions withDatabaseLatency(Duration databaseLatency) {
        return edit(d -> d.databaseLatency = databaseLatency);
    }

    public FleetOptions withHome(Path home) {
        return edit(d -> d.home = home);
    }

    public FleetOptions withPorts(int frontPort, int postgresPort) {
        return edit(d -> { d.frontPort = frontPort; d.postgresPort = postgresPort; });
    }

    public FleetOptions withS3(boolean s3) {
        return edit(d -> d.s3 = s3);
    }

    /** Rebalancing with every slot keeping at least {@code floorPercent} of the even split. */
    public FleetOptions withRebalance(int floorPercent) {
        return edit(d -> { d.rebalance = true; d.floorPercent = floorPercent; });
    }

    /** The static baseline: no rebalancer, every replica keeps the even split. */
    public FleetOptions withStaticSplit() {
        return edit(d -> { d.rebalance = false; d.floorPercent = 100; });
    }

    public FleetOptions withPoolMaximum(int poolMaximum) {
        return edit(d -> d.poolMaximum = poolMaximum);
    }

    public FleetOptions withTiming(Duration interval, Duration agentWindow) {
        return edit(d -> { d.interval = interval; d.agentWindow = agentWindow; });
    }

    public FleetOptions withWorkers(int workersMinimum, int workersMaximum) {
        return edit(d -> { d.workersMinimum = workersMinimum; d.workersMaximum = workersMaximum; });
    }

    /** {@code count} hot standbys of the fleet's PostgreSQL, for the reads that tolerate lag. */
    public FleetOptions withReadReplicas(int count) {
        return edit(d -> d.readReplicas = count);
    }

    public FleetOptions withExtraProperties(Map<String, String> extraProperties) {
        return edit(d -> d.extraProperties = extraProperties);
    }

    private FleetOptions edit(Consumer<OptionsDraft> change) {
        OptionsDraft draft = new OptionsDraft(this);
        change.accept(draft);
        return draft.build();
    }
}
