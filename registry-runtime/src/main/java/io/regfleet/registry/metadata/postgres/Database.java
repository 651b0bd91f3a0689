package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.governance.ConnectionLeases;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.MetadataChangeListener;
import io.regfleet.registry.metadata.MetadataUnavailableException;
import io.regfleet.registry.metadata.ReviewQueue;
import io.regfleet.registry.metadata.postgres.replica.ReadReplicas;
import io.regfleet.registry.metadata.postgres.replica.Write;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one way the PostgreSQL store reaches the database: a connection is borrowed for one short unit of work and
 * returned before any byte is streamed. Work that cannot run now (shed by the worker limit, no connection in time,
 * database down) becomes a {@link MetadataUnavailableException}, never a wait without bound.
 */
@ApplicationScoped
class Database {
    private final LeaseSource leases;
    private final ReadReplicas replicas;
    private final QueuedTotals queued = new QueuedTotals();
    private final List<MetadataChangeListener> listeners = new CopyOnWriteArrayList<>();
    private boolean othersHeard;
    private volatile long lastSuccessNanos;

    /** A connection borrowed for one unit of work, and how it is given back. */
    record Lease(Connection connection, GiveBack giveBack) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            giveBack.run();
        }
    }

    @FunctionalInterface
    interface GiveBack {
        void run() throws SQLException;
    }

    /** Where connections come from: the governed pool in the registry, a plain connection in tests. */
    @FunctionalInterface
    interface LeaseSource {
        Lease lease() throws SQLException;
    }

    @Inject
    Database(ConnectionLeases governance, ReadReplicas replicas) {
        this(() -> governed(governance), replicas);
    }

    Database(LeaseSource leases) {
        this(leases, ReadReplicas.NONE);
    }

    Database(LeaseSource leases, ReadReplicas replicas) {
        this.leases = leases;
        this.replicas = replicas;
    }

    /** The read replicas of this database's primary ({@link ReadReplicas#NONE} without any). */
    ReadReplicas replicas() {
        return replicas;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs read-only work in autocommit mode: one round trip for a single query. */
    <T> T read(Work<T> work) {
        return autocommit(work);
    }

    /**
     * Runs one statement that writes, as its own transaction (autocommit): one round trip where a transaction takes
     * two (the statement, then COMMIT). For a write that is atomic on its own and that no reader on a replica waits
     * for (upload sessions are read on the primary only). Statements sent together before one Sync share the
     * protocol's implicit transaction ({@link Deletions#lockThen}).
     */
    <T> T statement(Work<T> work) {
        return autocommit(work);
    }

    private <T> T autocommit(Work<T> work) {
        try (Lease lease = leases.lease()) {
            T result = work.run(lease.connection());
            lastSuccessNanos = System.nanoTime();
            return result;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs work in one transaction, committed when it returns, rolled back when it throws. */
    <T> T transaction(Work<T> work) {
        return leased(c -> committed(c, work));
    }

    private <T> T leased(Work<T> work) {
        try (Lease lease = leases.lease()) {
            return work.run(lease.connection());
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private <T> T committed(Connection c, Work<T> work) throws SQLException {
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
    }

    /** Work in one transaction that may queue review candidates and change what readers remember ({@link Effects}). */
    @FunctionalInterface
    interface Queueing<T> {
        T run(Connection connection, Effects effects) throws SQLException;
    }

    /**
     * {@link #transaction}, with its effects: the changes it made are noticed to the other replicas in the same
     * transaction (delivered only if it commits), and, once it has committed and its connection is given back, told to
     * this process's listeners and its queued candidates counted. With read replicas, its position in the WAL is
     * learnt and noticed to every pod ({@link WriteNotices}) before it returns: reads of what it changed stay on
     * the primary until a replica has replayed it. A Job (verify, import) notices its writes the same way, for the
     * pods that read replicas.
     */
    <T> T queueing(Queueing<T> work) {
        Effects effects = new Effects();
        T result = leased(c -> {
            T r = committed(c, tx -> {
                T written = work.run(tx, effects);
                ChangeNotices.sendAndCommit(tx, effects.changes()); // committed() then has nothing left to commit
                return written;
            });
            if (replicas.noticesWrites() && !effects.changes().isEmpty()) {
                try {
                    Write write = WriteNotices.send(c, effects.changes());
                    if (replicas.active()) {
                        replicas.writes().written(write, System.nanoTime());
                    }
                } catch (SQLException e) {
                    effects.unnoticed(e);
                }
            }
            return r;
        });
        queued.add(effects);
        if (!effects.changes().isEmpty()) {
            List<MetadataChange> changes = List.copyOf(effects.changes());
            listeners.forEach(listener -> listener.changed(changes));
        }
        if (effects.unnoticed() != null) { // committed, but no pod can tell when a replica has it: the client retries
            throw new MetadataUnavailableException("written, but its WAL position is unknown: "
                    + effects.unnoticed().getMessage(), effects.unnoticed());
        }
        return result;
    }

    /**
     * From now on, the listener hears what this process's units of work change, each once it has committed, and what
     * other processes commit as {@link ChangeListener} relays it.
     */
    synchronized void subscribe(MetadataChangeListener listener) {
        listeners.add(listener);
        if (othersHeard) {
            listener.othersHeard(); // the listener connected before this subscriber came
        }
    }

    /** Changes other processes committed, as heard. */
    void heard(List<MetadataChange> changes) {
        if (!changes.isEmpty()) {
            listeners.forEach(listener -> listener.changed(changes));
        }
    }

    /** Whether what other processes commit is heard from now on. */
    synchronized void othersHeard(boolean heard) {
        othersHeard = heard;
        listeners.forEach(heard ? MetadataChangeListener::othersHeard : MetadataChangeListener::othersUnheard);
    }

    /** Candidates the units of work of this process queued, per queue. */
    long queued(ReviewQueue queue) {
        return queued.total(queue);
    }

    long lastSuccessNanos() {
        return lastSuccessNanos;
    }

    private static Lease governed(ConnectionLeases governance) {
        ConnectionLeases.Lease lease;
        try {
            lease = governance.lease();
        } catch (ConnectionLeases.Refused e) {
            throw new MetadataUnavailableException(e.getMessage(), e);
        }
        return new Lease(lease.connection(), lease::close);
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
                || state.equals("40001") || state.equals("40P01") || state.equals("55P03")));
        // 55P03: a lock not granted within the collector's lock_timeout; it tries again later
        if (transientFailure) {
            return new MetadataUnavailableException("database unavailable: " + e.getMessage(), e);
        }
        return new IllegalStateException("database error " + state + ": " + e.getMessage(), e);
    }
}
