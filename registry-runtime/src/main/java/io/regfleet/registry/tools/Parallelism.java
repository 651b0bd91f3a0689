package io.regfleet.registry.tools;

import java.util.OptionalInt;

/**
 * How many workers a tool (verify, import) runs: each holds at most one database connection at a time, for one short
 * unit of work, so they stay within the pod's budget by construction. At most the pool maximum and the worker limit,
 * less one connection kept for the lease renewals and bookkeeping that run beside them; a requested number may only
 * lower it.
 */
public final class Parallelism {
    private Parallelism() {
    }

    public static int within(OptionalInt requested, int poolMax, int workerLimit) {
        int budget = Math.max(1, Math.min(poolMax, workerLimit) - 1);
        return requested.isPresent() ? Math.max(1, Math.min(requested.getAsInt(), budget)) : budget;
    }
}
