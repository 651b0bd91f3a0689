package io.regfleet.registry.metadata.postgres.replica;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One task, every {@link #PERIOD_MILLIS}: asks each replica what it has replayed ({@code pg_last_wal_replay_lsn()},
 * through its own pool), measures its lag against the writes this pod knows of, quarantines or readmits it
 * ({@link ReplicaHealth}), then forgets the writes every replica has replayed or that are too old to matter.
 */
final class ReplicaMonitor {
    static final long PERIOD_MILLIS = 200;
    private static final int SAMPLE_TIMEOUT_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(ReplicaMonitor.class);

    private final List<ReadReplica> replicas;
    private final WriteLsns writes;
    private final long maxLagNanos;
    private ScheduledExecutorService executor;

    ReplicaMonitor(List<ReadReplica> replicas, WriteLsns writes, long maxLagNanos) {
        this.replicas = replicas;
        this.writes = writes;
        this.maxLagNanos = maxLagNanos;
    }

    synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("read-replica-monitor").daemon().factory());
        executor.scheduleWithFixedDelay(this::sampleAll, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    void sampleAll() {
        // writes older than this pass's start may be forgotten: a replica sampled early in a slow pass (another one
        // not answering) must not lose a write it had not replayed when it was sampled
        long passStart = System.nanoTime();
        Lsn replayedByAll = null;
        boolean allKnown = true;
        for (ReadReplica replica : replicas) {
            ReplicaHealth before = replica.health();
            try {
                Optional<Lsn> sample = replayed(replica);
                if (sample.isEmpty()) { // every connection is lent to reads: it answers them, so its health stands
                    allKnown = false;
                    continue;
                }
                Lsn replayed = sample.get();
                long now = System.nanoTime();
                replica.sampled(replayed, writes.lagNanos(replayed, now), maxLagNanos, writes.newest());
                replayedByAll = replayedByAll == null || !replayed.reached(replayedByAll) ? replayed : replayedByAll;
            } catch (SQLException | RuntimeException e) {
                allKnown = false;
                replica.unreachable(writes.newest());
                if (before.serving() || before == ReplicaHealth.UNKNOWN) {
                    LOG.warnf("read replica %s unreachable: reads go elsewhere until it answers (%s)", replica.name(),
                            e.getMessage());
                }
            }
            ReplicaHealth after = replica.health();
            if (after.serving() != before.serving() && before != ReplicaHealth.UNKNOWN) {
                LOG.infof("read replica %s: %s (lag %.1fs)", replica.name(), after.reason(), after.lagNanos() / 1e9);
            }
        }
        writes.forget(allKnown ? replayedByAll : null, passStart);
    }

    /**
     * What the replica has replayed, or empty when the pool had no connection to spare because reads hold them all
     * (then nothing is known, and nothing is wrong). A server that is not (or no longer) a standby answers null: not
     * a replica. A replica that does not answer within a second is unreachable (its connection is then dropped).
     */
    private static Optional<Lsn> replayed(ReadReplica replica) throws SQLException {
        Connection lent;
        try {
            lent = replica.connection();
        } catch (SQLException e) {
            if (replica.busy()) {
                return Optional.empty();
            }
            throw e;
        }
        try (Connection c = lent; Statement s = c.createStatement()) {
            int readsTimeout = c.getNetworkTimeout(); // the pool lends this connection to reads afterwards
            c.setNetworkTimeout(Runnable::run, SAMPLE_TIMEOUT_MILLIS);
            try (ResultSet rs = s.executeQuery("SELECT pg_last_wal_replay_lsn()::text")) {
                String lsn = rs.next() ? rs.getString(1) : null;
                if (lsn == null) {
                    throw new SQLException("not a standby (pg_last_wal_replay_lsn() is null)");
                }
                return Optional.of(Lsn.parse(lsn));
            } finally {
                c.setNetworkTimeout(Runnable::run, readsTimeout);
            }
        }
    }
}
