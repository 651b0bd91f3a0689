package io.regfleet.registry.governance;

import io.regfleet.registry.config.RegistryConfig;
import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The PostgreSQL driver behind the {@link ConnectionThrottle}: every new connection waits for its slot, and its
 * outcome feeds the backoff. Each session gets statement_timeout and idle_in_transaction_session_timeout (not in
 * migrate mode: a migration may run long). Configured as {@code quarkus.datasource.jdbc.driver}; its settings come
 * from the {@link PoolConfig} and {@link RegistryConfig} mappings.
 */
public class GovernedPostgresDriver implements Driver {
    private final Driver delegate = new org.postgresql.Driver();
    private volatile String sessionOptions;

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        ConnectionThrottle throttle = ConnectionThrottle.instance();
        throttle.beforeConnect();
        Properties properties = new Properties();
        properties.putAll(info);
        String options = sessionOptions();
        if (!options.isEmpty()) {
            String existing = properties.getProperty("options");
            properties.setProperty("options", existing == null ? options : existing + " " + options);
        }
        throttle.connectStarted();
        try {
            Connection connection = delegate.connect(url, properties);
            throttle.onSuccess();
            return connection;
        } catch (SQLException e) {
            throttle.onFailure();
            throw e;
        } finally {
            throttle.connectEnded();
        }
    }

    /** Read on first use: the pool creates this driver outside CDI. */
    private String sessionOptions() {
        String options = sessionOptions;
        if (options == null) {
            options = sessionOptions(mapping(PoolConfig.class), "migrate".equals(mapping(RegistryConfig.class).mode()));
            sessionOptions = options;
        }
        return options;
    }

    /** The PostgreSQL options of every session; none while migrating (a migration may run long). */
    static String sessionOptions(PoolConfig pool, boolean migrating) {
        return migrating ? "" : "-c statement_timeout=" + pool.statementTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout=" + pool.idleInTransactionTimeout().toMillis();
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
