package io.regfleet.registry.metadata;

import io.regfleet.registry.governance.ConnectionLeases;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Map;

/**
 * The one way requests reach PostgreSQL: a connection is borrowed for one short unit of work and returned before
 * any byte is streamed. Work that cannot run now (shed by the worker limit, no connection in time, database down)
 * becomes a 503 the client retries, never a 500 and never a wait without bound.
 */
@ApplicationScoped
public class Database {
    private final ConnectionLeases leases;
    private volatile long lastSuccessNanos;

    public Database(ConnectionLeases leases) {
        this.leases = leases;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs read-only work in autocommit mode: one round trip for a single query. */
    public <T> T read(Work<T> work) {
        try (ConnectionLeases.Lease lease = lease()) {
            T result = work.run(lease.connection());
            lastSuccessNanos = System.nanoTime();
            return result;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs work in one transaction, committed when it returns, rolled back when it throws. */
    public <T> T transaction(Work<T> work) {
        try (ConnectionLeases.Lease lease = lease()) {
            Connection c = lease.connection();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                lastSuccessNanos = System.nanoTime();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** When work last succeeded (System.nanoTime), 0 if never: readiness uses it instead of a probe per check. */
    public long lastSuccessNanos() {
        return lastSuccessNanos;
    }

    private ConnectionLeases.Lease lease() {
        try {
            return leases.lease();
        } catch (ConnectionLeases.Refused e) {
            throw new DatabaseUnavailableException(e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    private static RuntimeException translate(SQLException e) {
        String state = e.getSQLState();
        boolean transientFailure = e instanceof SQLTransientException
                || (state != null && (state.startsWith("08") || state.startsWith("57") || state.equals("53300")
                || state.equals("40001") || state.equals("40P01")));
        if (transientFailure) {
            return new DatabaseUnavailableException("database unavailable: " + e.getMessage(), e);
        }
        return new IllegalStateException("database error " + state + ": " + e.getMessage(), e);
    }

    /** The database could not be used right now: answered 503 with Retry-After. */
    public static final class DatabaseUnavailableException extends RegistryException {
        public DatabaseUnavailableException(String message, Throwable cause) {
            super(ErrorCode.UNAVAILABLE, message, Map.of());
            initCause(cause);
        }
    }
}
