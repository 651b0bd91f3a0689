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

/**
 * Registry replicas on one embedded PostgreSQL and one blob store, behind one front address, their pools shared out
 * by the operator's rebalancer over a static list of pods ({@code make run REPLICAS=n}, the e2e suite).
 * With {@code rebalance} off every replica keeps the even split of the budget: the static baseline.
 */
public final class LocalFleet implements AutoCloseable {
    /** The registry name in every replica's database application name: {@code regfleet/local-fleet/replica-n}. */
    public static final String REGISTRY = "local-fleet";

    private final FleetOptions options;
    private final int index;
    private final RecentReports reports = new RecentReports();
    private LocalServer server;
    private boolean ownsServer;
    private FleetHome home;
    private SharedFleet shared;
    private FleetRun run;

    private LocalFleet(FleetOptions options, LocalServer server, int index) {
        this.options = options;
        this.server = server;
        this.index = index;
    }

    /** Starts everything, alone on its own PostgreSQL; on any failure, stops what was started and rethrows. */
    public static LocalFleet start(FleetOptions options) {
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
    static LocalFleet joining(FleetOptions options, LocalServer server, int index) {
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

    public FleetOptions options() {
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
