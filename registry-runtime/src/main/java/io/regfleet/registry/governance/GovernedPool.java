package io.regfleet.registry.governance;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalPoolInterceptor;
import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.time.Clock;
import java.util.List;

/**
 * One Agroal pool whose maximum the operator's allocation sets live, generation by generation: the primary's
 * ({@link PoolControl}, which adds the worker limit and the notice listener) or a read replica's
 * ({@link #replica}). A newer generation is applied, clamped by the pool's {@link AllocationGuard}; an older one is
 * ignored and answered with what is applied. A shrink closes the idle connections at once (Agroal retires busy ones
 * over the maximum as they come back), and {@link #open()} counts what is still held, so the caller sees it complete.
 */
public final class GovernedPool {
    private static final Logger LOG = Logger.getLogger(GovernedPool.class);

    /** What the allocation covers beside the pool's own connections: the primary's notice listener, or nothing. */
    public interface Reserve {
        Reserve NONE = new Reserve() {
            @Override
            public void allocated(int connections) {
            }

            @Override
            public int poolMax(int connections) {
                return connections;
            }

            @Override
            public int open() {
                return 0;
            }
        };

        /** The allocation changed: the reserve steps down first when it leaves no room for it. */
        void allocated(int connections);

        /** Agroal's maximum within an allocation of {@code connections}. */
        int poolMax(int connections);

        /** Connections the reserve holds open. */
        int open();
    }

    /** What else an allocation sets: the primary's worker limit; a replica's pool sets nothing else. */
    public interface Workers {
        /** The worker limit now (the pod's, for a replica's pool). */
        int allocated();

        /** Whether the allocation changes anything beside the pool's maximum. */
        boolean differs(Allocation allocation);

        void allocate(Allocation allocation);

        /** The pod's worker limit, reported with a replica's allocation, which never sets it. */
        static Workers reportedOnly(java.util.function.IntSupplier podWorkers) {
            return new Workers() {
                @Override
                public int allocated() {
                    return podWorkers.getAsInt();
                }

                @Override
                public boolean differs(Allocation allocation) {
                    return false;
                }

                @Override
                public void allocate(Allocation allocation) {
                }
            };
        }
    }

    /** How long connections waited for this pool over the usage window, and how many never got one. */
    public interface AcquireFigures {
        double acquireWaitMs(double percentile);

        long acquireTimeoutsTotal();
    }

    /** The pool now and its use over the window, for the usage report. */
    public record Figures(AllocationStatus applied, int active, int idle, int awaiting, SlidingWindow.Snapshot used,
                          double acquireWaitP50Ms, double acquireWaitP99Ms, long acquireTimeoutsTotal) {
    }

    /** The allocation in force: its generation (0 before the first) and the pool maximum it set. */
    private record Applied(long generation, int poolMax) {
    }

    private final String name;
    private final AgroalDataSource dataSource;
    private final AllocationGuard guard;
    private final Reserve reserve;
    private final ConnectionThrottle throttle;
    private final ConnectionActivity activity;
    private final Workers workers;
    /** Written under this object's lock, read without it (gauges). */
    private volatile Applied applied;

    GovernedPool(String name, AgroalDataSource dataSource, int startMax, AllocationGuard guard, Reserve reserve,
                 ConnectionThrottle throttle, ConnectionActivity activity, Workers workers) {
        this.name = name;
        this.dataSource = dataSource;
        this.guard = guard;
        applied = new Applied(0, startMax);
        this.reserve = reserve;
        this.throttle = throttle;
        this.activity = activity;
        this.workers = workers;
        resize(startMax, startMax);
    }

    /**
     * A read replica's pool, governed like the primary's: it starts at {@code startMax} (the operator's floor), an
     * allocation may raise it to the ceiling (the operator's per-pod maximum, else the replica's max_connections),
     * and its use is measured as Agroal lends and takes back its connections.
     *
     * @param server the replica's {@code host:port}: its own connect throttle
     */
    public static GovernedPool replica(String server, AgroalDataSource dataSource, int startMax, ReplicaGovernance governance) {
        ConnectionActivity activity = new ConnectionActivity(
                (int) Math.max(1, governance.window().toSeconds()), System.nanoTime());
        dataSource.setPoolInterceptors(List.of(new AgroalPoolInterceptor() {
            @Override
            public void onConnectionAcquire(Connection connection) {
                activity.lent(System.nanoTime());
            }

            @Override
            public void onConnectionReturn(Connection connection) {
                activity.returned(System.nanoTime());
            }
        }));
        AllocationGuard guard = new AllocationGuard(dataSource,
                governance.ceiling().isPresent() ? governance.ceiling().getAsInt() : null, Integer.MAX_VALUE, Clock.systemUTC());
        return new GovernedPool(server, dataSource, startMax, guard, Reserve.NONE, ConnectionThrottle.forServer(server),
                activity, Workers.reportedOnly(governance.podWorkers()));
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
                || workers.differs(allocation)) {
            resize(now.poolMax(), allocation.poolMax());
            workers.allocate(allocation);
            applied = new Applied(allocation.generation(), allocation.poolMax());
            LOG.infof("%s: allocation %d applied: pool max %d, workers %d", name, allocation.generation(),
                    allocation.poolMax(), workers.allocated());
        }
        return status(false);
    }

    /** What is applied now, read together. */
    public synchronized AllocationStatus status(boolean stale) {
        Applied now = applied;
        return new AllocationStatus(now.generation(), now.poolMax(), workers.allocated(), open(), stale);
    }

    /** The pool now and its use over the window; {@code acquire}: its waits for a connection. */
    public Figures figures(long nowNanos, AcquireFigures acquire) {
        var connections = dataSource.getMetrics();
        return new Figures(status(false), (int) connections.activeCount(), (int) connections.availableCount(),
                (int) connections.awaitingCount(), activity.window(nowNanos), acquire.acquireWaitMs(0.5),
                acquire.acquireWaitMs(0.99), acquire.acquireTimeoutsTotal());
    }

    private void resize(int previous, int newMax) {
        reserve.allocated(newMax);
        dataSource.getConfiguration().connectionPoolConfiguration().setMaxSize(reserve.poolMax(newMax));
        if (newMax < previous) {
            dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        }
    }

    /**
     * Connections held, those being opened and the reserve's included: one opening while the maximum is lowered
     * lands over it, so a shrink is not reported done while it is in flight.
     */
    public int open() {
        var metrics = dataSource.getMetrics();
        return (int) (metrics.activeCount() + metrics.availableCount()) + throttle.connecting() + reserve.open();
    }

    /** The pool maximum the allocation in force set (the start size before the first). */
    public int poolMax() {
        return applied.poolMax();
    }

    /** The generation of the allocation in force, 0 before the first. */
    public long generation() {
        return applied.generation();
    }
}
