package io.regfleet.fleet.local;

import io.regfleet.control.budget.DatabaseConnectionInfo;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.budget.JdbcDatabaseLimitsProbe;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.HttpPodAgentClient;
import io.regfleet.control.rebalance.PoolPolicy;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceLoop;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.control.rebalance.Rebalancer;
import io.regfleet.control.rebalance.StaticPodDiscovery;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.FreePorts;
import io.regfleet.dev.LatencyProxy;
import io.regfleet.dev.RegistryProcess;
import io.regfleet.dev.S3ProxyServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Registry replicas on one embedded PostgreSQL and one blob store, behind one front address, their pools shared out
 * by the operator's rebalancer over a static list of pods ({@code make run REPLICAS=n}, the e2e suite).
 * With {@code rebalance} off every replica keeps the even split of the budget: the static baseline.
 */
public final class LocalFleet implements AutoCloseable {
    /** The registry name in every replica's database application name: {@code regfleet/local-fleet/replica-n}. */
    public static final String REGISTRY = "local-fleet";
    private static final String DATABASE = "regfleet";
    private static final String BUCKET = "regfleet";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final int KEPT_REPORTS = 100;

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
     * @param poolMaximum      largest pool a replica may be given
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
            return edit(b -> {
                b.replicas = replicas;
                b.maxReplicas = maxReplicas;
            });
        }

        public Options withMaxConnections(int maxConnections) {
            return edit(b -> b.maxConnections = maxConnections);
        }

        public Options withHome(Path home) {
            return edit(b -> b.home = home);
        }

        /** Rebalancing with every slot keeping at least {@code floorPercent} of the even split. */
        public Options withRebalance(int floorPercent) {
            return edit(b -> {
                b.rebalance = true;
                b.floorPercent = floorPercent;
            });
        }

        /** The static baseline: no rebalancer, every replica keeps the even split. */
        public Options withStaticSplit() {
            return edit(b -> {
                b.rebalance = false;
                b.floorPercent = 100;
            });
        }

        public Options withTiming(Duration interval, Duration agentWindow) {
            return edit(b -> {
                b.interval = interval;
                b.agentWindow = agentWindow;
            });
        }

        public Options withPoolMaximum(int poolMaximum) {
            return edit(b -> b.poolMaximum = poolMaximum);
        }

        public Options withWorkers(int workersMinimum, int workersMaximum) {
            return edit(b -> {
                b.workersMinimum = workersMinimum;
                b.workersMaximum = workersMaximum;
            });
        }

        public Options withDatabaseLatency(Duration databaseLatency) {
            return edit(b -> b.databaseLatency = databaseLatency);
        }

        public Options withS3(boolean s3) {
            return edit(b -> b.s3 = s3);
        }

        public Options withPorts(int frontPort, int postgresPort) {
            return edit(b -> {
                b.frontPort = frontPort;
                b.postgresPort = postgresPort;
            });
        }

        public Options withExtraProperties(Map<String, String> extraProperties) {
            return edit(b -> b.extraProperties = extraProperties);
        }

        /** A copy with some fields changed: the one place that lists every field, for the withers above. */
        private Options edit(java.util.function.Consumer<Copy> change) {
            Copy c = new Copy(this);
            change.accept(c);
            return new Options(c.replicas, c.maxReplicas, c.maxConnections, c.home, c.rebalance, c.floorPercent,
                    c.interval, c.agentWindow, c.poolMaximum, c.workersMinimum, c.workersMaximum, c.databaseLatency,
                    c.s3, c.frontPort, c.postgresPort, c.extraProperties);
        }

        /** The fields of an Options being copied, mutable until the copy is built (and validated). */
        private static final class Copy {
            int replicas;
            int maxReplicas;
            int maxConnections;
            Path home;
            boolean rebalance;
            int floorPercent;
            Duration interval;
            Duration agentWindow;
            int poolMaximum;
            int workersMinimum;
            int workersMaximum;
            Duration databaseLatency;
            boolean s3;
            int frontPort;
            int postgresPort;
            Map<String, String> extraProperties;

            Copy(Options o) {
                replicas = o.replicas;
                maxReplicas = o.maxReplicas;
                maxConnections = o.maxConnections;
                home = o.home;
                rebalance = o.rebalance;
                floorPercent = o.floorPercent;
                interval = o.interval;
                agentWindow = o.agentWindow;
                poolMaximum = o.poolMaximum;
                workersMinimum = o.workersMinimum;
                workersMaximum = o.workersMaximum;
                databaseLatency = o.databaseLatency;
                s3 = o.s3;
                frontPort = o.frontPort;
                postgresPort = o.postgresPort;
                extraProperties = o.extraProperties;
            }
        }
    }

    private final Options options;
    private final Map<String, Replica> replicas = new LinkedHashMap<>();
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private final Deque<RebalanceReport> reports = new ArrayDeque<>();
    private final List<Path> temporary = new ArrayList<>();
    private Path home;
    private Path tokenFile;
    private String token;
    private EmbeddedPostgresServer database;
    private LatencyProxy latencyProxy;
    private S3ProxyServer s3;
    private Map<String, String> replicaProperties;
    private FleetLimits limits;
    private FrontProxy front;
    private StaticPodDiscovery discovery;
    private Rebalancer rebalancer;
    private RebalanceLoop loop;
    private int nextIndex = 1;

    private LocalFleet(Options options) {
        this.options = options;
    }

    /** Starts everything; on any failure, stops what was started and rethrows. */
    public static LocalFleet start(Options options) {
        LocalFleet fleet = new LocalFleet(options);
        try {
            fleet.startAll();
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void startAll() {
        home = options.home() != null ? options.home().toAbsolutePath() : temporaryFolder("regfleet-fleet");
        createDirectories(home);
        startDatabase();
        limits = LocalBudget.limits(probe(), options);
        writeToken();
        replicaProperties = replicaProperties();
        List<Replica> first = new ArrayList<>();
        for (int i = 0; i < options.replicas(); i++) {
            first.add(newReplica());
        }
        awaitReady(first);
        front = FrontProxy.start(options.frontPort(), first.stream().map(Replica::apiAddress).toList());
        discovery = new StaticPodDiscovery(first.stream().map(Replica::pod).toList());
        if (options.rebalance()) {
            rebalancer = new Rebalancer(REGISTRY, discovery, new HttpPodAgentClient(() -> token, Duration.ofSeconds(2)),
                    () -> limits, new PoolPolicy(PoolPolicy.Tuning.DEFAULT), Rebalancer.Settings.DEFAULT, Clock.systemUTC());
            rebalancer.addListener(this::keep);
            loop = new RebalanceLoop(REGISTRY, rebalancer, options.interval());
        }
    }

    private void startDatabase() {
        Map<String, String> config = Map.of("max_connections", Integer.toString(options.maxConnections()));
        database = options.home() != null
                ? EmbeddedPostgresServer.persistent(home.resolve("pgdata"),
                        options.postgresPort() != 0 ? options.postgresPort() : FreePorts.next(), config)
                : EmbeddedPostgresServer.temporary(config);
        if (options.home() == null) {
            temporary.add(database.dataDirectory());
        }
        database.start().createDatabase(DATABASE);
        if (!options.databaseLatency().isZero()) {
            latencyProxy = LatencyProxy.start("127.0.0.1", database.port(), options.databaseLatency());
        }
        if (options.s3()) {
            s3 = S3ProxyServer.start();
            s3.createBucket(BUCKET);
        }
    }

    /** The live database's limits, over the control plane's own short connection (not through the latency proxy). */
    private DatabaseLimits probe() {
        try {
            return new JdbcDatabaseLimitsProbe(Duration.ofSeconds(5)).probe(new DatabaseConnectionInfo("127.0.0.1",
                    database.port(), DATABASE, EmbeddedPostgresServer.SUPERUSER, "postgres", "disable"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's limits: " + e.getMessage(), e);
        }
    }

    private void writeToken() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        tokenFile = home.resolve("agent-token");
        try {
            Files.writeString(tokenFile, token);
            tokenFile.toFile().setReadable(false, false);
            tokenFile.toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent token to " + tokenFile, e);
        }
    }

    /** What every replica shares: database, blobs, agent; the pool and workers start at the floor. */
    private Map<String, String> replicaProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        int port = latencyProxy != null ? latencyProxy.port() : database.port();
        p.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE);
        p.put("quarkus.datasource.username", EmbeddedPostgresServer.SUPERUSER);
        p.put("quarkus.datasource.password", "postgres");
        if (s3 != null) {
            p.put("regfleet.storage.driver", "s3");
            p.put("regfleet.storage.s3.bucket", BUCKET);
            p.put("regfleet.storage.s3.endpoint", s3.endpoint().toString());
            p.put("regfleet.storage.s3.region", s3.region());
            p.put("regfleet.storage.s3.path-style", "true");
            p.put("regfleet.storage.s3.access-key-id", s3.accessKey());
            p.put("regfleet.storage.s3.secret-access-key", s3.secretKey());
        } else {
            p.put("regfleet.storage.filesystem.root", home.resolve("blobs").toString());
        }
        p.put("regfleet.registry-name", REGISTRY);
        p.put("regfleet.pool.max-size", Integer.toString(limits.floor()));
        p.put("regfleet.workers.limit", Integer.toString(startingWorkers()));
        p.put("regfleet.agent.token-file", tokenFile.toString());
        p.put("regfleet.agent.window", options.agentWindow().toString());
        p.putAll(options.extraProperties());
        return Map.copyOf(p);
    }

    private int startingWorkers() {
        return Math.max(options.workersMinimum(), Math.min(options.workersMaximum(), limits.floor() * 4));
    }

    /** Builds and starts (does not wait for) the next replica, registered under its name. */
    private Replica newReplica() {
        String name = "replica-" + nextIndex++;
        Path logs = home.resolve("logs");
        createDirectories(logs);
        RegistryProcess process = RegistryProcess.builder()
                .properties(replicaProperties)
                .property("regfleet.pod-name", name)
                .log(logs.resolve(name + ".log"))
                .build()
                .start();
        Replica replica = new Replica(name, process);
        replicas.put(name, replica);
        return replica;
    }

    private static void awaitReady(List<Replica> starting) {
        try (ExecutorService waits = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> ready = starting.stream()
                    .<Future<?>>map(r -> waits.submit(() -> r.process().awaitReady(READY_TIMEOUT)))
                    .toList();
            for (Future<?> f : ready) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replicas started", e);
        }
    }

    // --- accessors

    public Options options() {
        return options;
    }

    /** The fleet's one address (round-robin over the replicas' API ports). */
    public URI front() {
        return front.uri();
    }

    public synchronized List<Replica> replicas() {
        return List.copyOf(replicas.values());
    }

    public synchronized Replica replica(String name) {
        Replica replica = replicas.get(name);
        if (replica == null) {
            throw new NoSuchElementException("no replica " + name + "; the fleet has " + replicas.keySet());
        }
        return replica;
    }

    public EmbeddedPostgresServer database() {
        return database;
    }

    /** The JDBC URL the replicas use (through the latency proxy when there is one). */
    public String replicaJdbcUrl() {
        return replicaProperties.get("quarkus.datasource.jdbc.url");
    }

    public FleetLimits limits() {
        return limits;
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

    /** The last rounds' reports, oldest first (at most {@value #KEPT_REPORTS}). */
    public synchronized List<RebalanceReport> reports() {
        return List.copyOf(reports);
    }

    private synchronized void keep(RebalanceReport report) {
        if (reports.size() == KEPT_REPORTS) {
            reports.removeFirst();
        }
        reports.addLast(report);
    }

    // --- controls

    /**
     * Starts one more replica at the floor and adds it to the rebalancer's list and the front address once ready.
     *
     * @throws IllegalStateException when the fleet already has as many replicas as the budget counts slots
     */
    public synchronized Replica addReplica() {
        if (replicas.size() >= limits.slots()) {
            throw new IllegalStateException("the fleet has " + replicas.size() + " replicas, the most its budget counts ("
                    + limits.slots() + " slots of " + limits.floor() + " for max replicas " + options.maxReplicas()
                    + "): start it with a larger maxReplicas");
        }
        Replica replica = newReplica();
        try {
            awaitReady(List.of(replica));
        } catch (RuntimeException e) {
            replica.process().kill();
            replicas.remove(replica.name());
            throw e;
        }
        discovery.add(replica.pod());
        front.add(replica.apiAddress());
        return replica;
    }

    /** kill -9: what a crashed pod looks like; it stays listed, so the rebalancer sees it silent. */
    public void kill(String name) {
        replica(name).process().kill();
    }

    /** Stops (if running) and starts the replica again, same ports and settings: it comes back at the floor. */
    public void restart(String name) {
        Replica replica = replica(name);
        if (paused.remove(name)) {
            replica.process().resume();
        }
        replica.process().stop();
        replica.process().start().awaitReady(READY_TIMEOUT);
    }

    /** SIGSTOP: alive but not answering. */
    public void pause(String name) {
        replica(name).process().pause();
        paused.add(name);
    }

    public void resume(String name) {
        replica(name).process().resume();
        paused.remove(name);
    }

    /** Stops everything: the rebalancer first (nothing changes while the fleet goes), then proxies, replicas, S3, PostgreSQL. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        run(failures, loop);
        run(failures, front);
        run(failures, latencyProxy);
        run(failures, this::stopReplicas);
        run(failures, s3);
        run(failures, database);
        temporary.forEach(LocalFleet::deleteQuietly);
        if (options.home() == null && home != null) {
            deleteQuietly(home);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private void stopReplicas() {
        List<Replica> all;
        synchronized (this) {
            all = List.copyOf(replicas.values());
        }
        try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Replica r : all) {
                stops.submit(() -> {
                    if (paused.remove(r.name())) {
                        r.process().resume(); // a stopped process cannot handle SIGTERM
                    }
                    r.process().stop();
                });
            }
        }
    }

    private static void run(List<RuntimeException> failures, AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (RuntimeException e) {
            failures.add(e);
        } catch (Exception e) {
            failures.add(new IllegalStateException(e));
        }
    }

    private Path temporaryFolder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder left behind is not worth failing a close for
        }
    }
}
