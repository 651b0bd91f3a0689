package io.regfleet.registry.governance;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regfleet.registry.PostgresTestResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One source for the pool's settings: Agroal and the governed driver both take theirs from the {@link PoolConfig}
 * mapping, whose {@code @WithDefault}s are the only defaults (the test leaves regfleet.pool.* unset).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PoolConfigurationTest {
    @Inject
    PoolConfig pool;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ConnectionLeases leases;

    @Test
    void agroalIsConfiguredFromThePoolMapping() {
        Config config = ConfigProvider.getConfig();
        assertEquals(pool.maxSize(), config.getValue("quarkus.datasource.jdbc.max-size", Integer.class));
        assertEquals(pool.acquireTimeout(), config.getValue("quarkus.datasource.jdbc.acquisition-timeout", Duration.class));
        assertEquals(pool.idleTimeout(), config.getValue("quarkus.datasource.jdbc.idle-removal-interval", Duration.class));
        assertEquals(pool.maxLifetime(), config.getValue("quarkus.datasource.jdbc.max-lifetime", Duration.class));
        var applied = dataSource.getConfiguration().connectionPoolConfiguration();
        assertEquals(pool.acquireTimeout(), applied.acquisitionTimeout());
        assertEquals(pool.idleTimeout(), applied.reapTimeout());
        assertEquals(pool.maxLifetime(), applied.maxLifetime());
    }

    @Test
    void everySessionGetsTheMappingsTimeouts() throws Exception {
        try (ConnectionLeases.Lease lease = leases.lease();
             ResultSet rs = lease.connection().createStatement().executeQuery(
                     "SELECT current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout')")) {
            rs.next();
            assertEquals(pool.statementTimeout(), postgresDuration(rs.getString(1)));
            assertEquals(pool.idleInTransactionTimeout(), postgresDuration(rs.getString(2)));
        }
    }

    @Test
    void everySessionIsEndedByTheServerWhenIdleLongerThanThePoolKeepsIt() throws Exception {
        dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        // two at once: the pool's first connection learns the server's version (SET), the next has it from the start
        try (ConnectionLeases.Lease first = leases.lease(); ConnectionLeases.Lease second = leases.lease()) {
            for (ConnectionLeases.Lease lease : new ConnectionLeases.Lease[] {first, second}) {
                try (ResultSet rs = lease.connection().createStatement().executeQuery("SELECT current_setting('idle_session_timeout')")) {
                    rs.next();
                    assertEquals(pool.idleSessionTimeout(), postgresDuration(rs.getString(1)));
                }
            }
        }
        assertTrue(pool.idleSessionTimeout().compareTo(pool.idleTimeout().multipliedBy(2)) > 0);
    }

    @Test
    void theThrottleIsConfiguredFromThePoolMapping() {
        assertEquals(ConnectionThrottle.Settings.of(pool), ConnectionThrottle.instance().settings());
    }

    /** PostgreSQL shows a duration as e.g. {@code 30s} or {@code 1min}. */
    private static Duration postgresDuration(String shown) {
        if (shown.endsWith("min")) {
            return Duration.ofMinutes(Long.parseLong(shown.substring(0, shown.length() - 3)));
        }
        if (shown.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(shown.substring(0, shown.length() - 2)));
        }
        return Duration.ofSeconds(Long.parseLong(shown.substring(0, shown.length() - 1)));
    }
}
