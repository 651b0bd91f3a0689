package io.regfleet.fleet.local;

import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.control.rebalance.Rebalancer;
import io.regfleet.control.share.ServerShares;
import io.regfleet.control.share.SharedFleet;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.fleet.PodSetting;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Registry replicas on one embedded PostgreSQL and one blob store, behind one front address, their pools shared out
 * by the operator's rebalancer over a static list of pods ({@code make run REPLICAS=n}, the e2e suite).
 * With {@code rebalance} off every replica keeps the even split of the budget: the static baseline.
 */
public final class LocalFleet implements AutoCloseable {
    /** The registry name in every replica's database application name: {@code regfleet/local-fleet/replica-n}. */
    public static final String REGISTRY = "local-fleet";

    /**
     * @param replicas         replicas started at once
     * @param maxReplicas      the most replicas the fleet may have ({@link #addReplica()} up to it); the budget counts
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
    public record Options(int replicas, int maxReplicas, int maxConnections, Path home, boolean rebalance,
                          int floorPercent, Duration interval, Duration agentWindow, int poolMaximum,
                          int workersMinimum, int workersMaximum, Duration databaseLatency, boolean s3,
                          int frontPort, int postgresPort, Map<String, String> extraProperties, int readReplicas) {
        public Options {
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

        public static Options defaults() {
            return new Options(2, 4, 60, null, true, 50, Duration.ofSeconds(10), Duration.ofSeconds(10), 20, 4, 64,
                    Duration.ZERO, false, 0, 0, Map.of(), 0);
        }

        public Options withReplicas(int replicas, int maxReplicas) {
            return edit(d -> { d.replicas = replicas; d.maxReplicas = maxReplicas; });
        }

        public Options withMaxConnections(int maxConnections) {
            return edit(d -> d.maxConnections = maxConnections);
        }

        public Options withDatabaseLatency(Duration databaseLatency) {
            return edit(d -> d.databaseLatency = databaseLatency);
        }

        public Options withHome(Path home) {
            return edit(d -> d.home = home);
        }

        public Options withPorts(int frontPort, int postgresPort) {
            return edit(d -> { d.frontPort = frontPort; d.postgresPort = postgresPort; });
        }

        public Options withS3(boolean s3) {
            return edit(d -> d.s3 = s3);
        }

        /** Rebalancing with every slot keeping at least {@code floorPercent} of the even split. */
        public Options withRebalance(int floorPercent) {
            return edit(d -> { d.rebalance = true; d.floorPercent = floorPercent; });
        }

        /** The static baseline: no rebalancer, every replica keeps the even split. */
        public Options withStaticSplit() {
            return edit(d -> { d.rebalance = false; d.floorPercent = 100; });
        }

        public Options withPoolMaximum(int poolMaximum) {
            return edit(d -> d.poolMaximum = poolMaximum);
        }

        public Options withTiming(Duration interval, Duration agentWindow) {
            return edit(d -> { d.interval = interval; d.agentWindow = agentWindow; });
        }

        public Options withWorkers(int workersMinimum, int workersMaximum) {
            return edit(d -> { d.workersMinimum = workersMinimum; d.workersMaximum = workersMaximum; });
        }

        /** {@code count} hot standbys of the fleet's PostgreSQL, for the reads that tolerate lag. */
        public Options withReadReplicas(int count) {
            return edit(d -> d.readReplicas = count);
        }

        public Options withExtraProperties(Map<String, String> extraProperties) {
            return edit(d -> d.extraProperties = extraProperties);
        }

        private Options edit(Consumer<OptionsDraft> change) {
            OptionsDraft draft = new OptionsDraft(this);
            change.accept(draft);
            return draft.build();
        }
    }

    private final Options options;
    private final int index;
    private final RecentReports reports = new RecentReports();
    private LocalServer server;
    private boolean ownsServer;
    private FleetHome home;
    private SharedFleet shared;
    private FleetRun run;

    private LocalFleet(Options options, LocalServer server, int index) {
        this.options = options;
        this.server = server;
        this.index = index;
    }

    /** Starts everything, alone on its own PostgreSQL; on any failure, stops what was started and rethrows. */
    public static LocalFleet start(Options options) {
        LocalFleet fleet = new LocalFleet(options, null, 1);
        Closer.startOrClose(() -> {
            fleet.server = LocalServer.start(options, 1);
            fleet.ownsServer = true;
            fleet.join();
            fleet.launch();
        }, fleet);
        return fleet;
    }

    /** The {@code index}th fleet (from 1) on a server others share; {@link #launch()} starts its replicas. */
    static LocalFleet joining(Options options, LocalServer server, int index) {
        LocalFleet fleet = new LocalFleet(options, server, index);
        Closer.startOrClose(fleet::join, fleet);
        return fleet;
    }

    /** Its name: {@value #REGISTRY} for the first fleet on a server, {@code local-fleet-2} and on for the others. */
    public String registry() {
        return index == 1 ? REGISTRY : REGISTRY + "-" + index;
    }

    /** Its own database and blobs, its claim on the server's connections. */
    private void join() {
        home = index == 1 ? server.home() : server.home().child("registry-" + index);
        shared = server.join(store(), limits -> LocalBudget.claim(limits, options, registry()));
    }

    /** Its replicas at the plan's floor, its front address, its rebalancer reading its shares and reporting back. */
    void launch() {
        LocalBudget.awaitPlan(shared, options);
        run = FleetRun.start(options, registry(), index, home, server.services().replicaProperties(store(), home.resolve("blobs")),
                this::plan, shared, reports, server.services().readReplicaParts());
    }

    private String store() {
        return index == 1 ? SharedServices.DATABASE : SharedServices.DATABASE + "_" + index;
    }

    public Options options() {
        return options;
    }

    /** The fleet's one address (round-robin over the replicas' API ports). */
    public URI front() {
        return run.front().uri();
    }

    public List<Replica> replicas() {
        return run.replicas().all();
    }

    public Replica replica(String name) {
        return run.replicas().get(name);
    }

    public EmbeddedPostgresServer database() {
        return server.services().database();
    }

    /** The hot standbys its replicas read from (empty without read replicas). */
    public List<EmbeddedPostgresServer> readReplicas() {
        return server.services().readReplicas();
    }

    /** The bearer token of its replicas' agents (management port), as its rebalancer sends it. */
    public String agentToken() {
        try {
            return java.nio.file.Files.readString(Path.of(run.replicas().properties().get(PodSetting.AGENT_TOKEN_FILE.property())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A setting every replica of this fleet was started with (a {@link PodSetting}), or null. */
    public String setting(PodSetting setting) {
        return run.replicas().properties().get(setting.property());
    }

    /** The JDBC URL the replicas use (through the latency proxy when there is one). */
    public String replicaJdbcUrl() {
        return setting(PodSetting.JDBC_URL);
    }

    /** The plan the fleet runs with now: budget, starting pool and workers, the rebalancer's limits. */
    public FleetPlan plan() {
        return shared.plan();
    }

    /** What its rebalancer shares out now: its share of the server (all of it when it is alone there). */
    public FleetLimits limits() {
        return plan().limits().orElseThrow();
    }

    /** The server's shares: this fleet's and every other fleet's on the same PostgreSQL. */
    public ServerShares shares() {
        return shared.shares();
    }

    /** The rebalancer, or null when the fleet keeps the static even split. */
    public Rebalancer rebalancer() {
        return run.rebalancer();
    }

    /** Each read replica's rebalancer and limits, by {@code host:port} (none without read replicas or rebalancing). */
    public Map<String, ReplicaRebalancing> replicaRebalancers() {
        return run.replicaRebalancers();
    }

    /** Told about every round; nothing happens on a fleet without a rebalancer. */
    public void addListener(RebalanceListener listener) {
        run.addListener(listener);
    }

    /** The last rounds' reports, oldest first (at most {@value RecentReports#KEPT}). */
    public List<RebalanceReport> reports() {
        return reports.list();
    }

    /**
     * Starts one more replica at the floor and adds it to the rebalancer's list and the front address once ready.
     *
     * @throws IllegalStateException when the fleet already has as many replicas as the budget counts slots
     */
    public synchronized Replica addReplica() {
        FleetLimits limits = limits();
        int now = run.replicas().all().size();
        if (now >= limits.slots()) {
            throw new IllegalStateException("the fleet has " + now + " replicas, the most its budget counts ("
                    + limits.slots() + " slots of " + limits.floor() + " for max replicas " + options.maxReplicas()
                    + "): start it with a larger maxReplicas");
        }
        return run.add();
    }

    /** kill -9: what a crashed pod looks like; it stays listed, so the rebalancer sees it silent. */
    public void kill(String name) {
        run.replicas().kill(name);
    }

    /** Stops (if running) and starts the replica again, same ports and settings: it comes back at the floor. */
    public void restart(String name) {
        run.replicas().restart(name);
    }

    /** SIGSTOP: alive but not answering. */
    public void pause(String name) {
        run.replicas().pause(name);
    }

    public void resume(String name) {
        run.replicas().resume(name);
    }

    /**
     * Stops everything: the rebalancer first (nothing changes while the fleet goes), then the front and the replicas;
     * the fleet then leaves the server's shares (its replicas are stopped: nothing to drain), and a fleet alone on its
     * server stops the server.
     */
    @Override
    public void close() {
        Closer.closeAll(run, shared == null ? null : () -> shared.leave(Duration.ZERO), ownsServer ? server : null);
    }
}
