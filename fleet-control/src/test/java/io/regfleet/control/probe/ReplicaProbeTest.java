package io.regfleet.control.probe;

import io.regfleet.control.budget.ReplicaBudget;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.StreamingReplica;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real hot standby of a real primary: it has the primary's system_identifier, yet the probe gives it an identity of
 * its own, and its budget comes from its own limits.
 */
class ReplicaProbeTest {
    private static EmbeddedPostgresServer primary;
    private static EmbeddedPostgresServer standby;
    private static Connection otherRegistry;
    private static Connection ownPod;
    private final JdbcDatabaseLimitsProbe probe = new JdbcDatabaseLimitsProbe(Duration.ofSeconds(5));

    @BeforeAll
    static void start() throws SQLException {
        primary = EmbeddedPostgresServer.temporary(Map.of("max_connections", "20")).start();
        primary.execute("postgres", "CREATE ROLE fleet LOGIN PASSWORD 'fleet-pw'");
        primary.execute("postgres", "GRANT pg_monitor TO fleet"); // may read pg_control_system()
        primary.execute("postgres", "CREATE DATABASE regfleet OWNER fleet");
        standby = StreamingReplica.of(primary, "r1", Map.of("max_connections", "25"));
        otherRegistry = named(standby, "regfleet/other/pod-0");
        ownPod = named(standby, "regfleet/mine/pod-0");
    }

    @AfterAll
    static void stop() throws SQLException {
        ownPod.close();
        otherRegistry.close();
        standby.close();
        primary.close();
    }

    private static Connection named(EmbeddedPostgresServer server, String applicationName) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "fleet");
        props.setProperty("password", "fleet-pw");
        props.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(server.jdbcUrl("regfleet"), props);
    }

    private static DatabaseConnectionInfo at(EmbeddedPostgresServer server) {
        return new DatabaseConnectionInfo("127.0.0.1", server.port(), "regfleet", "fleet", "fleet-pw", "disable");
    }

    @Test
    void aStandbyIsKnownApartFromItsPrimaryThoughItsSystemIsTheSame() throws SQLException {
        ServerSnapshot main = probe.server(at(primary));
        ReplicaSnapshot replica = probe.replica(at(standby));

        assertEquals(main.server().id(), replica.systemIdentifier(), "a standby has its primary's system_identifier");
        assertTrue(replica.inRecovery());
        assertNotEquals(main.server().id(), replica.server().server().id(), "yet it is not the primary's server");
        assertEquals(main.server().id() + "@127.0.0.1:" + standby.port(), replica.server().server().id());
        assertFalse(replica.isThePrimary(main));

        ReplicaSnapshot primaryAsReplica = probe.replica(at(primary));
        assertFalse(primaryAsReplica.inRecovery());
        assertTrue(primaryAsReplica.isThePrimary(main), "the primary named as its own replica is found out");
    }

    @Test
    void theReplicasBudgetComesFromItsOwnLimits() throws SQLException {
        ReplicaSnapshot replica = probe.replica(at(standby));
        assertEquals(25, replica.server().limits().maxConnections(), "the standby's own max_connections, not the primary's 20");
        assertEquals(Map.of("other", 1, "mine", 1), replica.server().registryConnections());
        // the other Registry's pod counts as held by others for "mine"; its own pod does not
        assertEquals(1, replica.server().limitsOutside(Set.of("mine")).heldByOthers());
        // 25 - (3 superuser + 1 probe) - 1 = 20 for 3 pods: 6 each
        ReplicaBudget budget = ReplicaBudget.compute(replica.server().limitsOutside(Set.of("mine")), 0, 3, 100);
        assertEquals(20, budget.available());
        assertEquals(6, budget.perPodPool());
    }
}
