package io.regfleet.registry.governance;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.time.Duration;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The PostgreSQL driver behind the {@link ConnectionThrottle}: every new connection waits for its slot, and its
 * outcome feeds the backoff. Each session gets statement_timeout and idle_in_transaction_session_timeout (not in
 * migrate mode: a migration may run long). Configured as {@code quarkus.datasource.jdbc.driver}.
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
        if (!throttle.isConfigured()) {
            configure(throttle);
        }
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

    /** From configuration, before the first connection (start-up work such as Flyway included). */
    private static synchronized void configure(ConnectionThrottle throttle) {
        if (throttle.isConfigured()) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        throttle.configure(new ConnectionThrottle.Settings(
                config.getOptionalValue("regfleet.pool.connect-rate", Double.class).orElse(5.0),
                config.getOptionalValue("regfleet.pool.connect-burst", Integer.class).orElse(2),
                duration(config, "regfleet.pool.backoff-initial", Duration.ofMillis(200)).toNanos(),
                duration(config, "regfleet.pool.backoff-max", Duration.ofSeconds(10)).toNanos(),
                duration(config, "regfleet.pool.connect-wait", Duration.ofSeconds(5)).toNanos()));
    }

    private static Duration duration(Config config, String key, Duration fallback) {
        return config.getOptionalValue(key, Duration.class).orElse(fallback);
    }

    /** Read from configuration on first use: the pool creates this driver outside CDI. */
    private String sessionOptions() {
        String options = sessionOptions;
        if (options == null) {
            Config config = ConfigProvider.getConfig();
            boolean migrating = "migrate".equals(config.getOptionalValue("regfleet.mode", String.class).orElse("serve"));
            Duration statement = config.getOptionalValue("regfleet.pool.statement-timeout", Duration.class).orElse(Duration.ofSeconds(30));
            Duration idleInTx = config.getOptionalValue("regfleet.pool.idle-in-transaction-timeout", Duration.class)
                    .orElse(Duration.ofSeconds(60));
            options = migrating ? "" : "-c statement_timeout=" + statement.toMillis()
                    + " -c idle_in_transaction_session_timeout=" + idleInTx.toMillis();
            sessionOptions = options;
        }
        return options;
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
