package io.regfleet.registry.governance;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The plain parts of connection governance, configured and shared as beans. */
@Singleton
class GovernanceBeans {

    /** The worker limit: from {@code regfleet.workers.limit}, else 4 per CPU of the container's quota. */
    @Produces
    @Singleton
    DatabaseBulkhead bulkhead(WorkerConfig workers) {
        return new DatabaseBulkhead(workers.limit().orElseGet(CpuQuota::defaultWorkers), workers.queue(),
                workers.queueTimeout().toNanos());
    }

    /** How the bulkhead's limit follows the allocation: fixed, or adaptive below it ({@code regfleet.workers.adaptive}). */
    @Produces
    @Singleton
    WorkerLimit workerLimit(DatabaseBulkhead bulkhead, WorkerConfig workers, PoolConfig pool) {
        return workers.adaptive()
                ? new AdaptiveWorkerLimit(bulkhead, bulkhead.limit(), pool.maxSize(), workers.poolQueue())
                : new FixedWorkerLimit(bulkhead);
    }

    @Produces
    @Singleton
    ConnectionActivity activity(AgentConfig agent) {
        return new ConnectionActivity(windowSeconds(agent), System.nanoTime());
    }

    /** The usage window in whole seconds, at least one. */
    static int windowSeconds(AgentConfig agent) {
        return (int) Math.max(1, agent.window().toSeconds());
    }
}
