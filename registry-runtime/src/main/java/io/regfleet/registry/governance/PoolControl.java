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
 * The pod's share of the database, applied live: the operator's allocation sets the Agroal pool maximum (less the
 * {@link ListenerConnection}, which the allocation counts too) and the worker limit, generation by generation; idle
 * connections are closed on a shrink and after the idle timeout.
 */
@Singleton
public class PoolControl {
    private static final Logger LOG = Logger.getLogger(PoolControl.class);

    private final AgroalDataSource dataSource;
    private final WorkerLimit workers;
    private final ConnectionActivity activity;
    private final AllocationGuard guard;
    private final ListenerConnection listener;
    private final ConnectionThrottle throttle = ConnectionThrottle.instance();
    private final long idleTimeoutNanos;
    /** Written under this object's lock, read without it (gauges). */
    private volatile Applied applied;

    /** The allocation in force: its generation (0 before the first) and the pool maximum it set. */
    private record Applied(long generation, int poolMax) {
    }

    PoolControl(AgroalDataSource dataSource, WorkerLimit workers, ConnectionActivity activity, PoolConfig pool,
                AllocationGuard guard, ListenerConnection listener) {
        this.dataSource = dataSource;
        this.guard = guard;
        this.listener = listener;
        this.workers = workers;
        this.activity = activity;
        idleTimeoutNanos = pool.idleTimeout().toNanos();
        applied = new Applied(0, pool.maxSize());
        resizePool(pool.maxSize(), pool.maxSize());
        SessionOptions.of(pool, false, false); // refuses a server-side idle timeout the pool's own would not beat
        LOG.infof("connection governance: pool max %d, workers %d (%s), connect rate %.1f/s, idle sessions ended by the server after %s",
                pool.maxSize(), workers.allocated(), workers instanceof AdaptiveWorkerLimit ? "adaptive below it" : "fixed",
                pool.connectRate(), pool.idleSessionTimeout());
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(1000, id -> sweepIdle());
    }

    /**
     * Applies a newer allocation live, clamped to the ceilings; an older generation is ignored and answered with what
     * is applied. The answer says what was applied, so a clamp shows.
     *
     * @throws AllocationGuard.Refused when the allocation is implausible (nothing is applied)
     */
    public synchronized AllocationStatus apply(Allocation requested) {
        Applied now = applied;
        Allocation allocation = guard.admit(requested, now.poolMax());
        if (allocation.generation() < now.generation()) {
            return status(true);
        }
        if (allocation.generation() > now.generation() || allocation.poolMax() != now.poolMax()
                || allocation.workers() != workers.allocated()) {
            resizePool(now.poolMax(), allocation.poolMax());
            workers.allocate(allocation.workers(), allocation.poolMax());
            applied = new Applied(allocation.generation(), allocation.poolMax());
            LOG.infof("allocation %d applied: pool max %d, workers %d", allocation.generation(), allocation.poolMax(),
                    allocation.workers());
        }
        return status(false);
    }

    /** What is applied now, read together. */
    public synchronized AllocationStatus status(boolean stale) {
        Applied now = applied;
        return new AllocationStatus(now.generation(), now.poolMax(), workers.allocated(), open(), stale);
    }

    /**
     * Agroal retires busy connections over the maximum when they are returned, but leaves idle ones open: a shrink
     * also closes the idle connections (the pool reopens what it needs, paced by the throttle). The listener steps
     * down first when the new allocation leaves it no room.
     */
    private void resizePool(int previous, int newMax) {
        listener.allocated(newMax);
        dataSource.getConfiguration().connectionPoolConfiguration().setMaxSize(listener.poolMax(newMax));
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
     * Connections held, those being opened and the listener's included: one opening while the maximum is lowered
     * lands over it, so a shrink is not reported done while it is in flight.
     */
    public int open() {
        var metrics = dataSource.getMetrics();
        return (int) (metrics.activeCount() + metrics.availableCount()) + throttle.connecting() + listener.open();
    }

    public int poolMax() {
        return applied.poolMax();
    }

    public long generation() {
        return applied.generation();
    }
}
