package io.regfleet.registry.metadata.postgres.replica;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.regfleet.registry.governance.AcquireTimes;
import io.regfleet.registry.governance.GovernedPool;
import io.regfleet.registry.governance.GovernedPostgresDriver;
import io.regfleet.registry.governance.ReplicaGovernance;
import org.postgresql.PGProperty;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * How a replica's pool is made: the primary's JDBC settings (database, TLS, credentials, application name) with the
 * replica's host and port, through the governed driver (its own connect throttle and backoff, the sessions' timeouts),
 * starting empty, idle connections reaped, and a short bounded wait for a connection: a read that gets none in time
 * goes to the primary instead. Its maximum starts at {@code maxSize} and then follows the operator's allocations for
 * it ({@link GovernedPool#replica}).
 *
 * @param primaryUrl     the primary's JDBC URL
 * @param jdbcProperties the pool's additional JDBC properties (ApplicationName, prepareThreshold)
 * @param maxSize        each replica pool's maximum at start ({@code regfleet.pool.replica-max-size})
 * @param governance     how far allocations may move it, and the window of its usage
 */
public record ReplicaPool(String primaryUrl, String user, String password, Map<String, String> jdbcProperties,
                          int maxSize, Duration acquireWait, Duration idleTimeout, Duration maxLifetime,
                          ReplicaGovernance governance) {

    /** The primary's port, which a replica listed without one shares. */
    public int primaryPort() {
        return Integer.parseInt(parsed().getProperty(PGProperty.PG_PORT.getName(), "5432").split(",")[0]);
    }

    /** The replica's pool, opened (empty: nothing connects until the first read or sample). */
    public ReadReplica open(ReplicaAddress address) throws SQLException {
        Properties primary = parsed();
        String url = "jdbc:postgresql://" + address + "/" + primary.getProperty(PGProperty.PG_DBNAME.getName());
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier().metricsEnabled()
                .connectionPoolConfiguration(pool -> pool.initialSize(0).minSize(0).maxSize(maxSize)
                        .acquisitionTimeout(acquireWait).reapTimeout(idleTimeout).maxLifetime(maxLifetime)
                        .exceptionSorter(AgroalConnectionPoolConfiguration.ExceptionSorter.fatalExceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(url).connectionProviderClass(GovernedPostgresDriver.class)
                                    .principal(new NamePrincipal(user)).credential(new SimplePassword(password));
                            primary.stringPropertyNames().stream().filter(ReplicaPool::carried)
                                    .forEach(key -> factory.jdbcProperty(key, primary.getProperty(key)));
                            jdbcProperties.forEach(factory::jdbcProperty);
                            factory.jdbcProperty(GovernedPostgresDriver.SERVER, address.toString());
                            return factory;
                        }));
        AgroalDataSource pool = AgroalDataSource.from(config);
        return new ReadReplica(address, pool, GovernedPool.replica(address.toString(), pool, maxSize, governance),
                new AcquireTimes(governance.window()));
    }

    /** The primary URL's parts: host, port, database and every parameter (sslmode, sslrootcert, ...). */
    private Properties parsed() {
        Properties properties = org.postgresql.Driver.parseURL(primaryUrl, new Properties());
        if (properties == null) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: the primary's quarkus.datasource.jdbc.url");
        }
        return properties;
    }

    /** The URL's parameters go with the replica's connections; its host, port and credentials do not. */
    private static boolean carried(String key) {
        return !key.equals(PGProperty.PG_HOST.getName()) && !key.equals(PGProperty.PG_PORT.getName())
                && !key.equals(PGProperty.PG_DBNAME.getName()) && !key.equals(PGProperty.USER.getName())
                && !key.equals(PGProperty.PASSWORD.getName());
    }
}
