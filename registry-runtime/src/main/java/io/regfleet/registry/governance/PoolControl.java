package io.regfleet.registry.governance;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The pod's share of the database, applied live: the operator's allocation sets the Agroal pool maximum and the
 * worker limit, generation by generation; idle connections are closed on a shrink and after the idle timeout.
 */
@Singleton
public class PoolControl {
    private static final Logger LOG = Logger.getLogger(PoolControl.class);

    private final AgroalDataSource dataSource;
    private final DatabaseBulkhead workers;
    private final ConnectionActivity activity;
    private final ConnectionThrottle throttle = ConnectionThrottle.instance();
    private final long idleTimeoutNanos;
    private long generation;
    private int poolMax;

    PoolControl(AgroalDataSource dataSource, DatabaseBulkhead workers, ConnectionActivity activity, PoolConfig pool) {
        this.dataSource = dataSource;
        this.workers = workers;
        this.activity = activity;
        this.idleTimeoutNanos = pool.idleTimeout().toNanos();
        this.poolMax = pool.maxSize();
        LOG.infof("connection governance: pool max %d, workers %d, connect rate %.1f/s", poolMax, workers.limit(),
                pool.connectRate());
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(1000, id -> sweepIdle());
    }

    /** Applies a newer allocation live; an older generation is ignored and answered with what is applied. */
    public synchronized AllocationStatus apply(Allocation allocation) {
        if (allocation.generation() < generation) {
            return status(true);
        }
        if (allocation.generation() > generation || allocation.poolMax() != poolMax || allocation.workers() != workers.limit()) {
            resizePool(allocation.poolMax());
            workers.setLimit(allocation.workers());
            generation = allocation.generation();
            LOG.infof("allocation %d applied: pool max %d, workers %d", generation, poolMax, allocation.workers());
        }
        return status(false);
    }

    /** What is applied now, read together. */
    public synchronized AllocationStatus status(boolean stale) {
        return new AllocationStatus(generation, poolMax, workers.limit(), open(), stale);
    }

    /**
     * Agroal retires busy connections over the maximum when they are returned, but leaves idle ones open: a shrink
     * also closes the idle connections (the pool reopens what it needs, paced by the throttle).
     */
    private void resizePool(int newMax) {
        int previous = poolMax;
        dataSource.getConfiguration().connectionPoolConfiguration().setMaxSize(newMax);
        poolMax = newMax;
        if (newMax < previous) {
            dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        }
    }

    /** Once a second: close every idle connection once the pod has done no database work for the idle timeout. */
    void sweepIdle() {
        if (activity.quietFor(idleTimeoutNanos, System.nanoTime()) && open() > 0) {
            dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        }
    }

    /**
     * Connections held, those being opened included: one opening while the maximum is lowered lands over it, so a
     * shrink is not reported done while it is in flight.
     */
    public int open() {
        var metrics = dataSource.getMetrics();
        return (int) (metrics.activeCount() + metrics.availableCount()) + throttle.connecting();
    }

    public synchronized int poolMax() {
        return poolMax;
    }

    public synchronized long generation() {
        return generation;
    }
}
