package io.regfleet.registry.governance;

import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.cache.CacheConfig;
import io.regfleet.registry.metadata.postgres.replica.ReadReplicas;
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

    /**
     * The notice listener, in every pod that serves with its metadata cache on or read replicas, unless its
     * connections are a transaction pooler's: PgBouncer hands the LISTENing session to others between transactions,
     * so notices would be lost while its heartbeat still passed. There the cache lives on its stale bound alone (and
     * no replica is used: {@link ReadReplicas}).
     */
    @Produces
    @Singleton
    ListenerConnection listenerConnection(PoolConfig pool, CacheConfig cache, RegistryConfig registry, ReadReplicas replicas) {
        boolean listens = (cache.enabled() || replicas.active()) && "serve".equals(registry.mode())
                && !registry.db().transactionPooled();
        return new ListenerConnection(listens, pool.maxSize());
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
