package io.regfleet.registry.governance;

import io.agroal.api.AgroalDataSource;
import io.regfleet.registry.telemetry.RequestTimings;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The one way this pod gets a database connection: a worker slot from the bulkhead (shed past its short queue),
 * then a connection borrowed from the pool for one unit of work, both given back when the lease is closed.
 */
@Singleton
public class ConnectionLeases {
    private static final Logger LOG = Logger.getLogger(ConnectionLeases.class);

    private final AgroalDataSource dataSource;
    private final DatabaseBulkhead workers;
    private final WorkerLimit limit;
    private final ConnectionActivity activity;
    private final GovernanceMetrics metrics;

    ConnectionLeases(AgroalDataSource dataSource, DatabaseBulkhead workers, WorkerLimit limit, ConnectionActivity activity,
                     GovernanceMetrics metrics) {
        this.dataSource = dataSource;
        this.workers = workers;
        this.limit = limit;
        this.activity = activity;
        this.metrics = metrics;
    }

    /** A borrowed connection; closing it returns the connection and frees the worker slot. */
    public final class Lease implements AutoCloseable {
        private final Connection connection;
        private final Slot slot;
        private final long leasedNanos;

        private Lease(Connection connection, Slot slot, long leasedNanos) {
            this.connection = connection;
            this.slot = slot;
            this.leasedNanos = leasedNanos;
        }

        public Connection connection() {
            return connection;
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("closing a pooled connection failed: %s", e.getMessage());
            } finally {
                long now = System.nanoTime();
                metrics.workDone(now - leasedNanos);
                activity.returned(now);
                release(slot, now, false);
                slot.charge(now);
            }
        }
    }

    /**
     * A worker slot: when it was admitted and how much work was in flight then, for the adaptive limit; and the
     * request it serves (null outside one), whose database time runs from admission to release (waiting for a
     * connection included).
     */
    private record Slot(long admittedNanos, int inFlight, RequestTimings request) {
        /** Adds the time since admission to the request's database time. */
        void charge(long nowNanos) {
            if (request != null) {
                request.addDatabase(nowNanos - admittedNanos);
            }
        }
    }

    /** Gives a slot back; {@code dropped}: the work got no connection in time. */
    private void release(Slot slot, long nowNanos, boolean dropped) {
        workers.release();
        limit.workEnded(slot.admittedNanos(), nowNanos - slot.admittedNanos(), slot.inFlight(), dropped);
    }

    /** Thrown when the work must not run now: shed by the bulkhead, or no connection within the acquisition timeout. */
    public static final class Refused extends Exception {
        private final boolean shed;

        Refused(String message, boolean shed, Throwable cause) {
            super(message, cause, false, false);
            this.shed = shed;
        }

        public boolean shed() {
            return shed;
        }
    }

    public Lease lease() throws Refused {
        if (!workers.tryAcquire()) {
            throw new Refused("too much database work in flight (limit " + workers.limit() + "); retry shortly", true, null);
        }
        Slot slot = new Slot(System.nanoTime(), workers.figures().inFlight(), RequestTimings.current());
        try {
            Connection connection = dataSource.getConnection();
            long now = System.nanoTime();
            metrics.acquired(now - slot.admittedNanos());
            activity.lent(now);
            return new Lease(connection, slot, now);
        } catch (SQLException | RuntimeException e) {
            long now = System.nanoTime();
            metrics.acquireFailed(now - slot.admittedNanos());
            release(slot, now, true);
            slot.charge(now);
            throw new Refused("no database connection: " + e.getMessage(), false, e);
        }
    }
}
