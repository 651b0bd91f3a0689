package io.regfleet.registry.governance;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.fleet.Allocation;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The pod's share of the primary, applied live: the operator's allocation sets the Agroal pool maximum (less the
 * {@link ListenerConnection}, which the allocation counts too) and the worker limit, generation by generation
 * ({@link GovernedPool}); idle connections are closed on a shrink and after the idle timeout.
 */
@Singleton
public class PoolControl {
    private static final Logger LOG = Logger.getLogger(PoolControl.class);

    private final AgroalDataSource dataSource;
    private final ConnectionActivity activity;
    private final GovernedPool pool;
    private final long idleTimeoutNanos;

    PoolControl(AgroalDataSource dataSource, WorkerLimit workers, ConnectionActivity activity, PoolConfig pool,
                AllocationGuard guard, ListenerConnection listener) {
        this.dataSource = dataSource;
        this.activity = activity;
        idleTimeoutNanos = pool.idleTimeout().toNanos();
        this.pool = new GovernedPool("primary", dataSource, pool.maxSize(), guard, listener, ConnectionThrottle.instance(),
                activity, new GovernedPool.Workers() {
                    @Override
                    public int allocated() {
                        return workers.allocated();
                    }

                    @Override
                    public boolean differs(Allocation allocation) {
                        return allocation.workers() != workers.allocated();
                    }

                    @Override
                    public void allocate(Allocation allocation) {
                        workers.allocate(allocation.workers(), allocation.poolMax());
                    }
                });
        SessionOptions.of(pool, false, false); // refuses a server-side idle timeout the pool's own would not beat
        LOG.infof("connection governance: pool max %d, workers %d (%s), connect rate %.1f/s, idle sessions ended by the server after %s",
                pool.maxSize(), workers.allocated(), workers instanceof AdaptiveWorkerLimit ? "adaptive below it" : "fixed",
                pool.connectRate(), pool.idleSessionTimeout());
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(1000, id -> sweepIdle());
    }

    /** The primary's pool as the agent governs it: its allocations, status and usage figures. */
    public GovernedPool governed() {
        return pool;
    }

    /** Once a second: close every idle connection once the pod has done no database work for the idle timeout. */
    void sweepIdle() {
        if (activity.quietFor(idleTimeoutNanos, System.nanoTime()) && pool.open() > 0) {
            dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        }
    }
}
