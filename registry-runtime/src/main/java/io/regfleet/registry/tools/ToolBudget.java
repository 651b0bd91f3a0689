package io.regfleet.registry.tools;

import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.governance.DatabaseBulkhead;
import io.regfleet.registry.governance.PoolControl;
import jakarta.inject.Singleton;

import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * What a batch tool (verify, import) may use of the pod: its workers each hold at most one database connection at a
 * time, for one short unit of work, so they stay within the pod's budget by construction.
 */
@Singleton
public class ToolBudget {
    private final ToIntFunction<OptionalInt> parallelism;
    private final String podName;

    ToolBudget(PoolControl pool, DatabaseBulkhead workers, RegistryConfig registry) {
        this.parallelism = requested -> within(requested, pool.governed().poolMax(), workers.limit());
        this.podName = registry.podName();
    }

    /** The workers to run now, from the pool maximum and worker limit in force: see {@link #within}. */
    public int parallelism(OptionalInt requested) {
        return parallelism.applyAsInt(requested);
    }

    /**
     * At most the pool maximum and the worker limit, less one connection kept for the lease renewals and bookkeeping
     * that run beside the workers; a requested number may only lower it.
     */
    public static int within(OptionalInt requested, int poolMax, int workerLimit) {
        int budget = Math.max(1, Math.min(poolMax, workerLimit) - 1);
        return requested.isPresent() ? Math.max(1, Math.min(requested.getAsInt(), budget)) : budget;
    }

    /** A name for this process's claims: the pod's, the tool's and a unique suffix. */
    public String owner(String tool) {
        return podName + "/" + tool + "-" + UUID.randomUUID();
    }
}
