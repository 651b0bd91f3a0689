package io.regfleet.registry.metadata.postgres.replica;

import io.agroal.api.AgroalDataSource;
import io.regfleet.fleet.ReplicaReport;
import io.regfleet.registry.governance.AcquireTimes;
import io.regfleet.registry.governance.GovernedPool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One read replica as this pod uses it: its own pool ({@link ReplicaPool}), governed live by the operator's
 * allocations for it ({@link GovernedPool}), its health as the monitor last sampled it ({@link ReplicaHealth}), and
 * the reads it answered.
 */
public final class ReadReplica implements AutoCloseable {
    private final ReplicaAddress address;
    private final AgroalDataSource pool;
    private final GovernedPool governed;
    private final AcquireTimes acquire;
    private final LongAdder reads = new LongAdder();
    private volatile ReplicaHealth health = ReplicaHealth.UNKNOWN;

    ReadReplica(ReplicaAddress address, AgroalDataSource pool, GovernedPool governed, AcquireTimes acquire) {
        this.address = address;
        this.pool = pool;
        this.governed = governed;
        this.acquire = acquire;
    }

    public String name() {
        return address.toString();
    }

    /** A connection of its pool, within the pool's short acquisition timeout; closing it gives it back. */
    public Connection connection() throws SQLException {
        long start = System.nanoTime();
        try {
            Connection c = pool.getConnection();
            acquire.acquired(System.nanoTime() - start);
            return c;
        } catch (SQLException e) {
            acquire.failed(System.nanoTime() - start);
            throw e;
        }
    }

    /** A read it answered. */
    public void answered() {
        reads.increment();
    }

    /**
     * A read or sample failed to reach it: out until a sample finds it reachable and caught up; its idle connections
     * are dropped, as they may be broken too.
     */
    public synchronized void unreachable(Lsn newest) {
        health = health.unreachable(newest);
        pool.flush(AgroalDataSource.FlushMode.IDLE);
    }

    synchronized void sampled(Lsn replayed, long lagNanos, long maxLagNanos, Lsn newest) {
        health = health.sampled(replayed, lagNanos, maxLagNanos, newest);
    }

    public ReplicaHealth health() {
        return health;
    }

    /** Its pool as the operator's allocations govern it: maximum, generation, connections held. */
    public GovernedPool pool() {
        return governed;
    }

    /** Its pool now and its use over the window, for {@code GET /fleet/usage?replica=}. */
    public GovernedPool.Figures figures() {
        return governed.figures(System.nanoTime(), acquire);
    }

    /** Connections held, and those being opened (the server may count them already), as for the primary's pool. */
    public int open() {
        return governed.open();
    }

    /** Every connection its pool may open is lent out: a wait for one says nothing of the replica's health. */
    boolean busy() {
        return pool.getMetrics().activeCount() >= pool.getConfiguration().connectionPoolConfiguration().maxSize();
    }

    public int active() {
        return (int) pool.getMetrics().activeCount();
    }

    public long reads() {
        return reads.sum();
    }

    public ReplicaReport report() {
        ReplicaHealth now = health;
        return new ReplicaReport(name(), now.serving(), now.reason(), now.lagNanos() / 1e9, governed.poolMax(), open(), reads());
    }

    @Override
    public void close() {
        pool.close();
    }
}
