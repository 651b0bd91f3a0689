package io.regfleet.registry.tools.verify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.OptionalInt;

/** {@code regfleet verify} (prefix {@code regfleet.verify}); the mode itself is {@code regfleet.mode=verify}. */
@ConfigMapping(prefix = "regfleet.verify")
public interface VerifyConfig {

    /** Re-hash every blob's bytes, not only check that they are there with the right size. Env: REGFLEET_VERIFY_DEEP. */
    @WithDefault("false")
    boolean deep();

    /** Start a new run even when an unfinished one could be continued. Env: REGFLEET_VERIFY_FRESH. */
    @WithDefault("false")
    boolean fresh();

    /** Workers; absent: as many as the pool and the worker limit allow (less one). Env: REGFLEET_VERIFY_PARALLELISM. */
    OptionalInt parallelism();

    /** Items per page: progress is recorded after each. Env: REGFLEET_VERIFY_PAGE_SIZE. */
    @WithDefault("200")
    int pageSize();

    /** Manifest bytes per page at most (after the first manifest). Env: REGFLEET_VERIFY_PAGE_BYTES. */
    @WithDefault("8388608")
    long pageBytes();

    /**
     * How long a worker's claim on a range lasts unless renewed (every third of it, while it works): a verify killed
     * midway leaves its ranges to the next one this long after. Env: REGFLEET_VERIFY_LEASE.
     */
    @WithDefault("30S")
    Duration lease();

    /** Items checked per second at most, over all workers (0: no limit). Env: REGFLEET_VERIFY_MAX_RATE. */
    @WithDefault("0")
    double maxRate();

    /** Failures listed in the summary line (all are counted, and kept in the database). Env: REGFLEET_VERIFY_REPORT_FAILURES. */
    @WithDefault("100")
    int reportFailures();
}
