package io.regfleet.registry.governance;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.PodUsage;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The pod's usage for the operator's rebalancer ({@code GET /fleet/usage}): the pool and workers now, and peaks,
 * means, percentiles and rates over the window ({@code regfleet.agent.window}).
 */
@Singleton
public class PodUsageReport {
    private final AgroalDataSource dataSource;
    private final PoolControl pool;
    private final DatabaseBulkhead workers;
    private final ConnectionActivity activity;
    private final GovernanceMetrics metrics;
    private final SlidingWindow requests;
    private final CpuSampler cpu;

    PodUsageReport(AgroalDataSource dataSource, PoolControl pool, DatabaseBulkhead workers, ConnectionActivity activity,
                   GovernanceMetrics metrics, AgentConfig agent) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.workers = workers;
        this.activity = activity;
        this.metrics = metrics;
        int window = GovernanceBeans.windowSeconds(agent);
        this.requests = new SlidingWindow(window, System.nanoTime());
        this.cpu = new CpuSampler(window);
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(1000, id -> cpu.sample());
    }

    /** Counts an API request for the report's rate. */
    public void requestStarted() {
        requests.event(System.nanoTime());
    }

    public PodUsage usage() {
        long now = System.nanoTime();
        var connections = dataSource.getMetrics();
        AllocationStatus applied = pool.status(false);
        DatabaseBulkhead.Figures work = workers.figures();
        SlidingWindow.Snapshot active = activity.window(now);
        SlidingWindow.Snapshot requested = requests.snapshot(now);
        return new PodUsage(applied.generation(), applied.poolMax(), applied.open(), (int) connections.activeCount(),
                (int) connections.availableCount(), (int) connections.awaitingCount(),
                active.peak(), active.mean(), active.seconds(), metrics.acquireWaitMs(0.5), metrics.acquireWaitMs(0.99),
                metrics.acquireTimeoutsTotal(), work.shedTotal(), applied.workers(), work.inFlight(),
                requested.eventsPerSecond(), cpu.coresUsed(), CpuQuota.cpus(), work.waiting(), metrics.workMs(0.99));
    }
}
