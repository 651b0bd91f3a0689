package io.regfleet.registry.metadata.postgres;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.governance.GovernedPostgresDriver;
import io.regfleet.registry.metadata.cache.CacheConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Hears what the other replicas commit: one connection of its own (outside the pool, counted in the connection
 * budget as one per pod), LISTENing on {@link ChangeNotices#CHANNEL}, relaying every notice to the store's listeners
 * ({@link Database#heard}). It checks its connection every heartbeat; a connection that fails or does not answer
 * within a heartbeat is dropped and the listeners told that writes may go unheard, until a new connection LISTENs
 * again (paced by the governed driver, backing off up to ten seconds). Named {@code <the pool's name>/listen} in
 * {@code pg_stat_activity}. Runs when the registry serves and its cache is on.
 */
@ApplicationScoped
class ChangeListener {
    private static final Logger LOG = Logger.getLogger(ChangeListener.class);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);

    private final Database db;
    private final boolean enabled;
    private final Duration heartbeat;
    private final Duration fallbackTtl;
    private final String url;
    private final Properties properties = new Properties();
    private volatile boolean running;
    private volatile Connection connection;
    private Thread thread;

    ChangeListener(Database db, CacheConfig cache, RegistryConfig registry,
                   @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                   @ConfigProperty(name = "quarkus.datasource.username") String username,
                   @ConfigProperty(name = "quarkus.datasource.password") String password,
                   @ConfigProperty(name = "quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName")
                   String applicationName) {
        this.db = db;
        this.enabled = cache.enabled() && "serve".equals(registry.mode());
        this.heartbeat = cache.heartbeat();
        this.fallbackTtl = cache.fallbackTtl();
        this.url = url;
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", applicationName + "/listen");
        properties.setProperty("tcpKeepAlive", "true");
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            running = true;
            thread = Thread.ofPlatform().name("metadata-change-listener").daemon().start(this::run);
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        closeQuietly(connection);
        if (thread != null) {
            thread.join(heartbeat.toMillis() * 2 + 1000);
        }
    }

    private void run() {
        Duration pause = Duration.ofMillis(200);
        while (running) {
            try (Connection c = new GovernedPostgresDriver().connect(url, properties)) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + ChangeNotices.CHANNEL);
                }
                db.othersHeard(true);
                LOG.debug("listening to the other replicas' metadata changes");
                pause = Duration.ofMillis(200);
                listen(c);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf("not hearing the other replicas' metadata changes (%s): cached answers live %s until heard "
                            + "again", e.getMessage(), fallbackTtl);
                }
            }
            db.othersHeard(false);
            connection = null;
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : pause.multipliedBy(2);
        }
    }

    /** Relays notices until the connection fails or does not answer its heartbeat. */
    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        int waitMillis = (int) Math.max(1, heartbeat.toMillis());
        int checkSeconds = (int) Math.max(1, heartbeat.toSeconds());
        long checked = System.nanoTime();
        while (running) {
            PGNotification[] notices = pg.getNotifications(waitMillis);
            if (notices != null) {
                for (PGNotification notice : notices) {
                    db.heard(ChangeNotices.parse(notice.getParameter()));
                }
            }
            // checked every heartbeat, notices or not: a session that only receives would also look idle to the server
            if (System.nanoTime() - checked >= heartbeat.toNanos()) {
                if (!c.isValid(checkSeconds)) {
                    throw new SQLException("the listening connection did not answer within " + checkSeconds + " s");
                }
                checked = System.nanoTime();
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
