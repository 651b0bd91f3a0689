package io.regfleet.fleet.local;

import io.regfleet.control.agent.HttpPodAgentClient;
import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PoolPolicy;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceLoop;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.control.rebalance.Rebalancer;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.fleet.PodSetting;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
     */
    public record Options(int replicas, int maxReplicas, int maxConnections, Path home, boolean rebalance,
                          int floorPercent, Duration interval, Duration agentWindow, int poolMaximum,
                          int workersMinimum, int workersMaximum, Duration databaseLatency, boolean s3,
                          int frontPort, int postgresPort, Map<String, String> extraProperties) {
        public Options {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(agentWindow, "agentWindow");
            Objects.requireNonNull(databaseLatency, "databaseLatency");
            extraProperties = Map.copyOf(extraProperties);
            if (replicas < 1 || maxReplicas < replicas) {
                throw new IllegalArgumentException("need 1 <= replicas <= maxReplicas: " + replicas + ", " + maxReplicas);
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
                    Duration.ZERO, false, 0, 0, Map.of());
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
    private final RecentReports reports = new RecentReports();
    private FleetHome home;
    private SharedServices services;
    private FleetPlan plan;
    private ReplicaSet replicas;
    private FrontProxy front;
    private StaticPodDiscovery discovery;
    private Rebalancer rebalancer;
    private RebalanceLoop loop;

    private LocalFleet(Options options) {
        this.options = options;
    }

    /** Starts everything; on any failure, stops what was started and rethrows. */
    public static LocalFleet start(Options options) {
        LocalFleet fleet = new LocalFleet(options);
        Closer.startOrClose(fleet::startAll, fleet);
        return fleet;
    }

    private void startAll() {
        home = FleetHome.of(options.home());
        services = new SharedServices(options, home).start();
        plan = LocalBudget.plan(services.probeLimits(), options);
        FleetHome.AgentTokenFile token = home.writeAgentToken();
        replicas = new ReplicaSet(replicaProperties(token), home.logs());
        List<Replica> first = new ArrayList<>();
        for (int i = 0; i < options.replicas(); i++) {
            first.add(replicas.start());
        }
        ReplicaSet.awaitReady(first);
        front = FrontProxy.start(options.frontPort(), first.stream().map(Replica::apiAddress).toList());
        discovery = new StaticPodDiscovery(first.stream().map(Replica::pod).toList());
        if (options.rebalance()) {
            rebalancer = new Rebalancer(REGISTRY, discovery, new HttpPodAgentClient(token::token, Duration.ofSeconds(2)),
                    this::limits, new PoolPolicy(PoolPolicy.Tuning.DEFAULT), Rebalancer.Settings.DEFAULT, Clock.systemUTC());
            rebalancer.addListener(reports);
            loop = new RebalanceLoop(REGISTRY, rebalancer, options.interval());
        }
    }

    /** What every replica shares: database, blobs, agent; the pool and workers start as the plan says. */
    private Map<String, String> replicaProperties(FleetHome.AgentTokenFile token) {
        Map<String, String> p = services.replicaProperties();
        p.put(PodSetting.REGISTRY_NAME.property(), REGISTRY);
        p.put(PodSetting.POOL_MAX_SIZE.property(), Integer.toString(plan.startingPoolMax()));
        p.put(PodSetting.WORKERS_LIMIT.property(), Integer.toString(plan.startingWorkers()));
        p.put(PodSetting.AGENT_TOKEN_FILE.property(), token.file().toString());
        p.put(PodSetting.AGENT_WINDOW.property(), options.agentWindow().toString());
        p.putAll(options.extraProperties());
        return p;
    }

    public Options options() {
        return options;
    }

    /** The fleet's one address (round-robin over the replicas' API ports). */
    public URI front() {
        return front.uri();
    }

    public List<Replica> replicas() {
        return replicas.all();
    }

    public Replica replica(String name) {
        return replicas.get(name);
    }

    public EmbeddedPostgresServer database() {
        return services.database();
    }

    /** The JDBC URL the replicas use (through the latency proxy when there is one). */
    public String replicaJdbcUrl() {
        return replicas.properties().get(PodSetting.JDBC_URL.property());
    }

    /** The plan the fleet started from: budget, starting pool and workers, the rebalancer's limits. */
    public FleetPlan plan() {
        return plan;
    }

    public FleetLimits limits() {
        return plan.limits().orElseThrow();
    }

    /** The rebalancer, or null when the fleet keeps the static even split. */
    public Rebalancer rebalancer() {
        return rebalancer;
    }

    /** Told about every round; nothing happens on a fleet without a rebalancer. */
    public void addListener(RebalanceListener listener) {
        if (rebalancer != null) {
            rebalancer.addListener(listener);
        }
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
        int now = replicas.all().size();
        if (now >= limits.slots()) {
            throw new IllegalStateException("the fleet has " + now + " replicas, the most its budget counts ("
                    + limits.slots() + " slots of " + limits.floor() + " for max replicas " + options.maxReplicas()
                    + "): start it with a larger maxReplicas");
        }
        Replica replica = replicas.startReady();
        discovery.add(replica.pod());
        front.add(replica.apiAddress());
        return replica;
    }

    /** kill -9: what a crashed pod looks like; it stays listed, so the rebalancer sees it silent. */
    public void kill(String name) {
        replicas.kill(name);
    }

    /** Stops (if running) and starts the replica again, same ports and settings: it comes back at the floor. */
    public void restart(String name) {
        replicas.restart(name);
    }

    /** SIGSTOP: alive but not answering. */
    public void pause(String name) {
        replicas.pause(name);
    }

    public void resume(String name) {
        replicas.resume(name);
    }

    /** Stops everything: the rebalancer first (nothing changes while the fleet goes), then the front, replicas, services. */
    @Override
    public void close() {
        Closer.closeAll(loop, front, replicas == null ? null : replicas::stopAll, services, home);
    }
}
