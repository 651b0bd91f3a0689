package io.regfleet.registry.governance;

import io.agroal.api.AgroalDataSource;
import io.regfleet.fleet.Allocation;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

/**
 * What the pod agent accepts, whoever holds the token: a pool maximum no larger than the ceiling (the operator's
 * per-pod maximum, else the database's max_connections), a worker limit no larger than its ceiling, and a generation
 * no further ahead of this pod's clock than an hour (generations are the rebalancer's wall-clock milliseconds; one
 * far in the future would make every later allocation look stale for ever).
 */
@Singleton
public class AllocationGuard {
    private static final Logger LOG = Logger.getLogger(AllocationGuard.class);
    static final Duration MAX_GENERATION_AHEAD = Duration.ofHours(1);

    private final AgroalDataSource dataSource;
    private final Integer configuredPoolCeiling;
    private final int workersCeiling;
    private final Clock clock;
    private volatile int databaseMaxConnections;

    @Inject
    AllocationGuard(AgroalDataSource dataSource, PoolConfig pool, WorkerConfig workers) {
        this(dataSource, pool.ceiling().isPresent() ? pool.ceiling().getAsInt() : null, workers.ceiling(), Clock.systemUTC());
    }

    AllocationGuard(AgroalDataSource dataSource, Integer poolCeiling, int workersCeiling, Clock clock) {
        this.dataSource = dataSource;
        this.configuredPoolCeiling = poolCeiling;
        this.workersCeiling = workersCeiling;
        this.clock = clock;
    }

    /** An implausible allocation: refused whole (400), nothing applied. */
    public static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * The allocation as it may be applied: clamped to the ceilings.
     *
     * @param currentPoolMax what is applied now, kept as the ceiling while the database's limit is unknown
     * @throws Refused when the generation lies implausibly far ahead
     */
    Allocation admit(Allocation allocation, int currentPoolMax) {
        long latest = clock.millis() + MAX_GENERATION_AHEAD.toMillis();
        if (allocation.generation() > latest) {
            throw new Refused("generation " + allocation.generation() + " lies more than " + MAX_GENERATION_AHEAD.toMinutes()
                    + " minutes ahead of this pod's clock");
        }
        int poolCeiling = poolCeiling(currentPoolMax);
        int poolMax = Math.min(allocation.poolMax(), poolCeiling);
        int workers = Math.min(allocation.workers(), workersCeiling);
        if (poolMax != allocation.poolMax() || workers != allocation.workers()) {
            LOG.warnf("allocation %d clamped: pool max %d -> %d (ceiling %d), workers %d -> %d (ceiling %d)",
                    allocation.generation(), allocation.poolMax(), poolMax, poolCeiling, allocation.workers(), workers,
                    workersCeiling);
        }
        return new Allocation(allocation.generation(), poolMax, workers);
    }

    private int poolCeiling(int currentPoolMax) {
        if (configuredPoolCeiling != null) {
            return configuredPoolCeiling;
        }
        int known = databaseMaxConnections;
        if (known == 0) {
            known = readMaxConnections();
            databaseMaxConnections = known;
        }
        return known > 0 ? known : currentPoolMax;
    }

    /** The database's max_connections, 0 when it cannot be read now (asked again next time). */
    private int readMaxConnections() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW max_connections")) {
            return rs.next() ? Integer.parseInt(rs.getString(1).trim()) : 0;
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("max_connections unknown for now: %s", e.getMessage());
            return 0;
        }
    }
}
