package io.regfleet.registry.governance;

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
    private final PoolControl pool;
    private final DatabaseBulkhead workers;
    private final GovernanceMetrics metrics;
    private final SlidingWindow requests;
    private final CpuSampler cpu;

    PodUsageReport(PoolControl pool, DatabaseBulkhead workers, GovernanceMetrics metrics, AgentConfig agent) {
        this.pool = pool;
        this.workers = workers;
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

    /** The pod's usage of the primary's pool. */
    public PodUsage usage() {
        return usage(pool.governed().figures(System.nanoTime(), metrics));
    }

    /**
     * The pod's usage of one pool ({@link GovernedPool#figures}: the primary's, or a read replica's): that pool's
     * allocation, connections and use, with the pod's workers, requests and CPU as they are.
     */
    public PodUsage usage(GovernedPool.Figures pool) {
        long now = System.nanoTime();
        AllocationStatus applied = pool.applied();
        DatabaseBulkhead.Figures work = workers.figures();
        SlidingWindow.Snapshot active = pool.used();
        SlidingWindow.Snapshot requested = requests.snapshot(now);
        return new PodUsage(applied.generation(), applied.poolMax(), applied.open(), pool.active(), pool.idle(),
                pool.awaiting(), active.peak(), active.mean(), active.seconds(), pool.acquireWaitP50Ms(),
                pool.acquireWaitP99Ms(), pool.acquireTimeoutsTotal(), work.shedTotal(), applied.workers(), work.inFlight(),
                requested.eventsPerSecond(), cpu.coresUsed(), CpuQuota.cpus(), work.waiting(), metrics.workMs(0.99));
    }
}
