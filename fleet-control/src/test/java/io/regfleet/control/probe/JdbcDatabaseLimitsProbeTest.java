package io.regfleet.control.probe;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.BudgetSplit;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.ConnectionBudgetCalculator;
import io.regfleet.control.budget.DatabaseLimits;
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
        // the fleet's own session (its role on its database) is not foreign
        held.add(DriverManager.getConnection(server.jdbcUrl("regfleet"), "fleet", "fleet-pw"));
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
    void anUnreachableDatabaseIsAnSqlExceptionNotACrash() {
        var nowhere = new DatabaseConnectionInfo("127.0.0.1", io.regfleet.dev.FreePorts.next(), "regfleet", "fleet", "x", "disable");
        assertThrows(SQLException.class, () -> new JdbcDatabaseLimitsProbe(Duration.ofSeconds(2)).probe(nowhere));
    }
}
