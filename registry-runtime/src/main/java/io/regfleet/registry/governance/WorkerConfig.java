package io.regfleet.registry.governance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.OptionalInt;

/** The per-pod bulkhead on database work and its limit (prefix {@code regfleet.workers}). */
@ConfigMapping(prefix = "regfleet.workers")
public interface WorkerConfig {

    /** Database work allowed at once; absent: 4 per CPU of the container's quota (cgroup), not the host's. Env: REGFLEET_WORKERS_LIMIT. */
    OptionalInt limit();

    /** The largest worker limit the pod agent applies; an allocation asking for more is clamped. Env: REGFLEET_WORKERS_CEILING. */
    @WithDefault("1024")
    int ceiling();

    /** How many may wait for a slot; beyond it a request is shed with 503. Env: REGFLEET_WORKERS_QUEUE. */
    @WithDefault("64")
    int queue();

    /** How long one may wait in that queue. Env: REGFLEET_WORKERS_QUEUE_TIMEOUT. */
    @WithDefault("250MS")
    Duration queueTimeout();

    /**
     * Below the allocated limit, find the work the database serves without queueing (Netflix concurrency-limits,
     * Gradient2) instead of admitting all of the allocation. Env: REGFLEET_WORKERS_ADAPTIVE.
     */
    @WithDefault("false")
    boolean adaptive();

    /**
     * With {@link #adaptive()}: how much database work may exceed the pool maximum (brief waits for a connection
     * are cheaper than a 503; longer ones are what the limit sheds). Env: REGFLEET_WORKERS_POOL_QUEUE.
     */
    @WithDefault("2")
    int poolQueue();
}
