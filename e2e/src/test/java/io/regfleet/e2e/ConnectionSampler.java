package io.regfleet.e2e;

import io.regfleet.dev.EmbeddedPostgresServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples pg_stat_activity every 50 ms on its own superuser connection: how many connections the fleet holds
 * (application_name regfleet/...), so a test can state the peak and when the count changed.
 */
public final class ConnectionSampler implements AutoCloseable {
    record Sample(long nanos, int fleet) {
    }

    /** Opens the sampling connection; called again after the server or the path to it went away. */
    private interface Connector {
        Connection open() throws SQLException;
    }

    /** The fleet's own sessions: their application names say regfleet/<registry>/<pod>. */
    static final String FLEET_SESSIONS = "application_name LIKE 'regfleet/%'";

    /** The fleet's pool sessions: all but each replica's one metadata-cache listener ({@code regfleet/<registry>/<pod>/listen}). */
    static final String POOL_SESSIONS = FLEET_SESSIONS + " AND application_name NOT LIKE '%/listen'";

    private final Connector connector;
    private final String query;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger peak = new AtomicInteger();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;

    ConnectionSampler(EmbeddedPostgresServer postgres) {
        this(postgres, FLEET_SESSIONS);
    }

    /**
     * Counts the sessions pg_stat_activity rows {@code where} selects, e.g. a pooler's server sessions (which carry
     * whatever application name their last client had, or none).
     */
    ConnectionSampler(EmbeddedPostgresServer postgres, String where) {
        this(() -> postgres.superuserConnection("postgres"), where);
    }

    /** Samples any reachable server, e.g. one in a cluster behind a port-forward. */
    public ConnectionSampler(String jdbcUrl, String user, String password) {
        this(() -> DriverManager.getConnection(jdbcUrl, user, password), FLEET_SESSIONS);
    }

    private ConnectionSampler(Connector connector, String where) {
        this.connector = connector;
        this.query = "SELECT count(*) FROM pg_stat_activity WHERE " + where;
        this.thread = Thread.ofPlatform().name("pg-sampler").start(this::run);
    }

    private void run() {
        while (running.get()) {
            try (Connection c = connector.open();
                 PreparedStatement s = c.prepareStatement(query)) {
                while (running.get()) {
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        int n = rs.getInt(1);
                        peak.accumulateAndGet(n, Math::max);
                        synchronized (samples) {
                            samples.add(new Sample(System.nanoTime(), n));
                        }
                    }
                    Thread.sleep(50);
                }
            } catch (SQLException e) {
                sleep(); // the server is down (an outage test): try again
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int peak() {
        return peak.get();
    }

    public void resetPeak() {
        peak.set(0);
    }

    public int latest() {
        synchronized (samples) {
            return samples.isEmpty() ? 0 : samples.getLast().fleet();
        }
    }

    List<Sample> since(long nanos) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.nanos() >= nanos).toList();
        }
    }

    public int count() {
        synchronized (samples) {
            return samples.size();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(2_000);
    }
}
