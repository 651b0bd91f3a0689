package io.regfleet.registry.governance;

import io.agroal.api.AgroalDataSource;
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
    private final ConnectionActivity activity;
    private final GovernanceMetrics metrics;

    ConnectionLeases(AgroalDataSource dataSource, DatabaseBulkhead workers, ConnectionActivity activity,
                     GovernanceMetrics metrics) {
        this.dataSource = dataSource;
        this.workers = workers;
        this.activity = activity;
        this.metrics = metrics;
    }

    /** A borrowed connection; closing it returns the connection and frees the worker slot. */
    public final class Lease implements AutoCloseable {
        private final Connection connection;
        private final long leasedNanos;

        private Lease(Connection connection, long leasedNanos) {
            this.connection = connection;
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
                workers.release();
            }
        }
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
        long started = System.nanoTime();
        try {
            Connection connection = dataSource.getConnection();
            long now = System.nanoTime();
            metrics.acquired(now - started);
            activity.lent(now);
            return new Lease(connection, now);
        } catch (SQLException | RuntimeException e) {
            metrics.acquireFailed(System.nanoTime() - started);
            workers.release();
            throw new Refused("no database connection: " + e.getMessage(), false, e);
        }
    }
}
