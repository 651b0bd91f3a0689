package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.governance.ListenerConnection;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.postgres.replica.WriteLsns;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Hears what the other replicas commit: one connection of its own, outside the pool but inside the pod's allocation
 * ({@link ListenerConnection}), LISTENing on {@link ChangeNotices#CHANNEL} and relaying every notice to the store's
 * listeners ({@link Database#heard}), and, with read replicas, the positions of their writes ({@link WriteNotices}) to
 * the pod's {@link WriteLsns}. Every heartbeat it asks its connection a query that must answer within a
 * heartbeat: a connection that fails or is silent is dropped, and the listeners told that writes may go unheard until
 * a new connection LISTENs again (paced by the governed driver, backing off up to ten seconds). A silently broken
 * connection is thus found within two heartbeats of its last answer.
 */
final class ChangeListener {
    private static final Logger LOG = Logger.getLogger(ChangeListener.class);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);

    /** Opens the listener's connection. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Database db;
    private final WriteLsns writes;
    private final Connector connector;
    private final ListenerConnection reserve;
    private final Duration heartbeat;
    private volatile boolean running;
    private volatile Connection connection;
    private Thread thread;

    ChangeListener(Database db, Connector connector, ListenerConnection reserve, Duration heartbeat) {
        this(db, null, connector, reserve, heartbeat);
    }

    /** @param writes where the other pods' write positions go ({@link WriteNotices}); null: no read replica, none heard */
    ChangeListener(Database db, WriteLsns writes, Connector connector, ListenerConnection reserve, Duration heartbeat) {
        this.db = db;
        this.writes = writes;
        this.connector = connector;
        this.reserve = reserve;
        this.heartbeat = heartbeat;
    }

    synchronized void start() {
        running = true;
        thread = Thread.ofPlatform().name("metadata-change-listener").daemon().start(this::run);
    }

    synchronized void stop() throws InterruptedException {
        running = false;
        abort(connection);
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
    }

    private void run() {
        Duration pause = Duration.ofMillis(200);
        while (running) {
            if (reserve.tryHold(() -> abort(connection))) {
                try (Connection c = reserve.connect(connector::connect)) {
                    connection = c;
                    c.setNetworkTimeout(Runnable::run, (int) Math.max(1, heartbeat.toMillis()));
                    try (Statement s = c.createStatement()) {
                        s.execute("LISTEN " + ChangeNotices.CHANNEL);
                        if (writes != null) {
                            s.execute("LISTEN " + WriteNotices.CHANNEL);
                        }
                    }
                    if (writes != null) { // writes before the LISTEN went unheard: a replica must have replayed them all
                        writes.listening(WriteNotices.current(c), System.nanoTime());
                    }
                    db.othersHeard(true);
                    LOG.debug("hearing the other replicas' metadata changes");
                    pause = Duration.ofMillis(200);
                    listen(c);
                } catch (SQLException | RuntimeException e) {
                    if (running) {
                        LOG.warnf("not hearing the other replicas' metadata changes (%s): cached answers live the stale"
                                + " bound until heard again", e.getMessage());
                    }
                } finally {
                    connection = null;
                    reserve.released();
                }
            }
            if (writes != null) {
                writes.unheard();
            }
            db.othersHeard(false);
            if (!sleep(pause)) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : pause.multipliedBy(2);
        }
    }

    /** Relays notices until the connection fails or does not answer a heartbeat within one. */
    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long period = heartbeat.toNanos();
        long checked = System.nanoTime();
        while (running) {
            long left = period - (System.nanoTime() - checked);
            if (left <= 0) { // a heartbeat, notices or not: a session that only receives could be silently gone
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                checked = System.nanoTime();
                continue;
            }
            PGNotification[] notices = pg.getNotifications((int) Math.max(1, left / 1_000_000));
            if (notices != null) {
                for (PGNotification notice : notices) {
                    if (notice.getName().equals(WriteNotices.CHANNEL)) {
                        heardWrite(c, notice.getParameter());
                    } else {
                        db.heard(ChangeNotices.parse(notice.getParameter()));
                    }
                }
            }
        }
    }

    /**
     * A write's position, then its changes forgotten again: a read between the two notices could have gone to a
     * replica that lacks the write. One that cannot be read counts as a write of everything, at the primary's
     * position now.
     */
    void heardWrite(Connection c, String payload) throws SQLException {
        WriteNotices.Notice notice;
        try {
            notice = WriteNotices.parse(payload);
        } catch (IllegalArgumentException e) {
            notice = new WriteNotices.Notice(WriteNotices.current(c), List.of(new MetadataChange.Everything()));
        }
        writes.written(notice.write(), System.nanoTime());
        db.heard(notice.changes());
    }

    /** False when interrupted: stopping. */
    private boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Drops the connection at once, without waiting for a read in progress on it. */
    private static void abort(Connection c) {
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException ignored) {
                // dropping it anyway
            }
        }
    }
}
