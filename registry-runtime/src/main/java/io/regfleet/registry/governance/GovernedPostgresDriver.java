package io.regfleet.registry.governance;

import io.regfleet.registry.config.RegistryConfig;
import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The PostgreSQL driver behind the {@link ConnectionThrottle}: every new connection waits for its slot, and its
 * outcome feeds the backoff. Each session gets statement_timeout, idle_in_transaction_session_timeout and
 * idle_session_timeout (not in migrate mode: a migration may run long); behind a transaction pooler none, and no
 * server-side prepared statements (the pooler's server sessions carry the timeouts). Configured as
 * {@code quarkus.datasource.jdbc.driver}; its settings come from the {@link PoolConfig} and {@link RegistryConfig}
 * mappings. A connection to another server than the primary (a read replica) names it in {@link #SERVER}: it is paced
 * by that server's own throttle.
 */
public class GovernedPostgresDriver implements Driver {
    /** The connection property naming a server other than the primary ({@code host:port}); not passed to PostgreSQL. */
    public static final String SERVER = "regfleetServer";
    /** The first PostgreSQL version that knows idle_session_timeout; older ones refuse a session that sets it. */
    static final int IDLE_SESSION_TIMEOUT_SINCE = 14;

    private final Driver delegate = new org.postgresql.Driver();
    private volatile SessionOptions sessionOptions;
    /** Whether the server knows idle_session_timeout; null until the first connection has said which version it is. */
    private volatile Boolean serverReaps;

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        String server = info.getProperty(SERVER);
        ConnectionThrottle throttle = server == null ? ConnectionThrottle.instance() : ConnectionThrottle.forServer(server);
        throttle.beforeConnect();
        Properties properties = new Properties();
        properties.putAll(info);
        properties.remove(SERVER);
        SessionOptions session = sessionOptions();
        Boolean reaps = serverReaps;
        if (session.transactionPooled()) {
            // the next transaction may run on another server session: none may be prepared on this one
            properties.setProperty("prepareThreshold", "0");
            reaps = Boolean.FALSE; // nor SET: the pooler's connect_query gives its sessions the timeouts
        } else {
            String options = session.startup(Boolean.TRUE.equals(reaps));
            if (!options.isEmpty()) {
                String existing = properties.getProperty("options");
                properties.setProperty("options", existing == null ? options : existing + " " + options);
            }
        }
        throttle.connectStarted();
        try {
            Connection connection = delegate.connect(url, properties);
            if (reaps == null && session.idleSessionMillis() > 0) {
                learnWhetherTheServerReaps(connection, session);
            }
            throttle.onSuccess();
            return connection;
        } catch (SQLException e) {
            throttle.onFailure();
            throw e;
        } finally {
            throttle.connectEnded();
        }
    }

    /**
     * The first connection says the server's version: from then on idle_session_timeout goes with every session's
     * startup options where the server knows it, and this first session gets it by a SET.
     */
    private void learnWhetherTheServerReaps(Connection connection, SessionOptions session) throws SQLException {
        boolean reaps = connection.getMetaData().getDatabaseMajorVersion() >= IDLE_SESSION_TIMEOUT_SINCE;
        if (reaps) {
            try (Statement s = connection.createStatement()) {
                s.execute("SET idle_session_timeout = " + session.idleSessionMillis());
            }
        }
        serverReaps = reaps;
    }

    /** Read on first use: the pool creates this driver outside CDI. */
    private SessionOptions sessionOptions() {
        SessionOptions options = sessionOptions;
        if (options == null) {
            RegistryConfig registry = mapping(RegistryConfig.class);
            options = SessionOptions.of(mapping(PoolConfig.class), "migrate".equals(registry.mode()), registry.db().transactionPooled());
            sessionOptions = options;
        }
        return options;
    }

    /** A configuration mapping of the running application, for code that CDI does not create. */
    static <T> T mapping(Class<T> type) {
        return ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(type);
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return delegate.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return delegate.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return delegate.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return delegate.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return delegate.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }
}
