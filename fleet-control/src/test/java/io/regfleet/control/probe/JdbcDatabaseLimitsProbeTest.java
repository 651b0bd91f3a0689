package io.regfleet.control.probe;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.BudgetSplit;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.ConnectionBudgetCalculator;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.dev.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Budget introspection against a real PostgreSQL with a low max_connections, a role limit and foreign connections. */
class JdbcDatabaseLimitsProbeTest {
    private static EmbeddedPostgresServer server;
    private static final List<Connection> held = new ArrayList<>();

    @BeforeAll
    static void start() throws SQLException {
        server = EmbeddedPostgresServer.temporary(Map.of("max_connections", "20")).start();
        server.execute("postgres", "CREATE ROLE fleet LOGIN PASSWORD 'fleet-pw' CONNECTION LIMIT 10");
        server.execute("postgres", "CREATE ROLE other LOGIN PASSWORD 'other-pw'");
        server.execute("postgres", "CREATE DATABASE regfleet OWNER fleet");
        // foreign: 3 superuser sessions on another database, 1 other role on the fleet's database
        for (int i = 0; i < 3; i++) {
            held.add(server.superuserConnection("postgres"));
        }
        held.add(DriverManager.getConnection(server.jdbcUrl("regfleet"), "other", "other-pw"));
        // the fleet's own session (its role on its database, a pod's application name) is not foreign
        held.add(named("regfleet", "regfleet/fleet/pod-0"));
    }

    @AfterAll
    static void stop() throws SQLException {
        for (Connection c : held) {
            c.close();
        }
        server.close();
    }

    private static DatabaseConnectionInfo fleet(String password) {
        return new DatabaseConnectionInfo("127.0.0.1", server.port(), "regfleet", "fleet", password, "disable");
    }

    @Test
    void readsTheLiveLimitsAndTheBudgetMatchesTheHandComputedNumbers() throws SQLException {
        DatabaseLimits limits = new JdbcDatabaseLimitsProbe(Duration.ofSeconds(5)).probe(fleet("fleet-pw"));

        assertEquals(20, limits.maxConnections());
        assertEquals(3, limits.superuserReservedConnections()); // PostgreSQL's default
        assertEquals(0, limits.reservedConnections());          // PostgreSQL 16+ setting, default 0
        assertEquals(10, limits.roleConnectionLimit());
        assertEquals(4, limits.heldByOthers());
        assertFalse(limits.aurora());

        // spec reserve 1, 3 replicas + surge 1, 2..20 per pod:
        // server: 20 - (3 + 0 + 1 spec + 2 operator) - 4 others = 10; role: 10 - 2 operator = 8 -> 8 available, 2 per pod
        ConnectionBudget budget = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 1, 3, 1, 2, 20, 100));
        assertEquals(6, budget.reserved());
        assertEquals(new BudgetSplit(8, 3, 1, 4, 2, 8, false), BudgetSplit.of(budget));
        // with a per-pod minimum of 3 the four pods do not fit: 8 / 3 = 2 pods -> 1 replica + surge 1
        ConnectionBudget capped = ConnectionBudgetCalculator.compute(new BudgetRequest(limits, null, 1, 3, 1, 3, 20, 100));
        assertEquals(new BudgetSplit(8, 1, 1, 2, 4, 8, true), BudgetSplit.of(capped));
    }

    @Test
    void theServerIsKnownByItsSystemIdentifierAndConnectionsByTheRegistryHoldingThem() throws SQLException {
        server.execute("postgres", "CREATE DATABASE second OWNER fleet");
        List<Connection> registries = new ArrayList<>();
        try {
            registries.add(named("regfleet", "regfleet/team-a/pod-1"));
            registries.add(named("regfleet", "regfleet/team-a/pod-2"));
            registries.add(named("second", "regfleet/team-b/pod-1"));
            registries.add(named("second", "psql")); // the fleet's role, but not a Registry's pod: foreign
            JdbcDatabaseLimitsProbe probe = new JdbcDatabaseLimitsProbe(Duration.ofSeconds(5));
            ServerSnapshot first = probe.server(fleet("fleet-pw"));
            ServerSnapshot second = probe.server(new DatabaseConnectionInfo("localhost", server.port(), "second", "fleet",
                    "fleet-pw", "disable"));

            assertTrue(first.server().id().matches("\\d{10,}"), "pg_control_system()'s identifier: " + first.server());
            assertEquals(first.server().id(), second.server().id(), "two databases, two host names: one server");
            assertEquals("localhost:" + server.port(), second.server().address());
            assertEquals(Map.of("team-a", 2, "team-b", 1, "fleet", 1), first.registryConnections());
            // outside every Registry: 3 superuser sessions, the other role, and the fleet role's unnamed psql
            assertEquals(5, first.limits().heldByOthers());
            assertEquals(5 + 1, first.heldOutside(List.of("team-a", "team-b")), "a Registry nobody knows is foreign too");
            // the per-fleet probe still counts every session of the role on its database as the fleet's own
            assertEquals(4 + 2, probe.probe(fleet("fleet-pw")).heldByOthers());
        } finally {
            for (Connection c : registries) {
                c.close();
            }
        }
    }

    /**
     * Aurora, stood in for by an {@code aurora_version()} function in a database of the embedded server: detected,
     * and its automation's connections kept back. Aurora's default max_connections is
     * {@code LEAST(DBInstanceClassMemory/9531392, 5000)}; the spec's override carries that figure (computed here by
     * the server itself for two instance sizes) and the budget uses it instead of the server's setting.
     */
    @Test
    void auroraIsDetectedAndItsMaxConnectionsFormulaOverridesTheSetting() throws SQLException {
        server.execute("postgres", "CREATE DATABASE aurora_stand_in OWNER fleet");
        server.execute("aurora_stand_in", "CREATE FUNCTION aurora_version() RETURNS text LANGUAGE sql AS $$ SELECT '16.4.aurora' $$");
        var aurora = new DatabaseConnectionInfo("127.0.0.1", server.port(), "aurora_stand_in", "fleet", "fleet-pw", "disable");
        JdbcDatabaseLimitsProbe probe = new JdbcDatabaseLimitsProbe(Duration.ofSeconds(5));
        DatabaseLimits limits = probe.probe(aurora);
        assertTrue(limits.aurora(), "aurora_version() exists");
        assertTrue(probe.server(aurora).limits().aurora());

        int small = auroraDefault(150L << 20);  // 150 MiB of instance memory: 16 connections
        int large = auroraDefault(64L << 30);   // 64 GiB: 7209, capped at 5000
        assertEquals(16, small);
        assertEquals(5000, large);
        // the role's limit left out; the server says 20, the override 16:
        // 16 - (3 superuser + 3 Aurora + 0 spec + 2 operator) - the others
        DatabaseLimits unlimitedRole = new DatabaseLimits(limits.maxConnections(), limits.superuserReservedConnections(),
                limits.reservedConnections(), DatabaseLimits.UNLIMITED, limits.heldByOthers(), limits.aurora());
        ConnectionBudget budget = ConnectionBudgetCalculator.compute(new BudgetRequest(unlimitedRole, small, 0, 2, 0, 2, 20, 100));
        assertEquals(16, budget.serverMaxConnections());
        assertEquals(3 + 3 + 2, budget.reserved());
        assertEquals(16 - 8 - limits.heldByOthers(), budget.available());
        assertTrue(budget.explain(2, 100).contains("max_connections 16"), budget.explain(2, 100));
        // without Aurora the same numbers keep 3 more
        DatabaseLimits plain = new DatabaseLimits(20, 3, 0, DatabaseLimits.UNLIMITED, limits.heldByOthers(), false);
        assertEquals(budget.available() + ConnectionBudgetCalculator.AURORA_AUTOMATION_CONNECTIONS,
                ConnectionBudgetCalculator.compute(new BudgetRequest(plain, small, 0, 2, 0, 2, 20, 100)).available());
    }

    /** Aurora PostgreSQL's default max_connections for an instance class's memory, as its parameter group computes it. */
    private static int auroraDefault(long instanceClassMemory) throws SQLException {
        try (Connection c = server.superuserConnection("postgres"); var s = c.createStatement();
             var rs = s.executeQuery("SELECT LEAST(" + instanceClassMemory + " / 9531392, 5000)")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Connection named(String database, String applicationName) throws SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", "fleet");
        props.setProperty("password", "fleet-pw");
        props.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(server.jdbcUrl(database), props);
    }

    @Test
    void anUnreachableDatabaseIsAnSqlExceptionNotACrash() {
        var nowhere = new DatabaseConnectionInfo("127.0.0.1", io.regfleet.dev.FreePorts.next(), "regfleet", "fleet", "x", "disable");
        assertThrows(SQLException.class, () -> new JdbcDatabaseLimitsProbe(Duration.ofSeconds(2)).probe(nowhere));
    }
}
