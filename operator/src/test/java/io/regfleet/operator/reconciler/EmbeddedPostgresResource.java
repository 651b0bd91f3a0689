package io.regfleet.operator.reconciler;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.regfleet.dev.EmbeddedPostgresServer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL for the reconcile tests: max_connections 30, the fleet's role limited to 20 connections, and
 * two foreign sessions held open for the whole run. Hand-computed budget: server 30 - (3 superuser-reserved +
 * 1 spec reserve + 2 operator) - 2 foreign = 22; role 20 - 2 operator = 18; so 18 available.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    /** The running server, for tests that start a standby of it (the resource runs in the tests' JVM). */
    private static volatile EmbeddedPostgresServer running;
    private EmbeddedPostgresServer server;
    private final List<Connection> foreign = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        server = EmbeddedPostgresServer.temporary(Map.of("max_connections", "30")).start();
        server.execute("postgres", "CREATE ROLE fleet LOGIN PASSWORD 'fleet-pw' CONNECTION LIMIT 20");
        server.execute("postgres", "CREATE DATABASE regfleet OWNER fleet");
        try {
            foreign.add(server.superuserConnection("postgres"));
            foreign.add(server.superuserConnection("postgres"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        running = server;
        return Map.of("test.db.port", Integer.toString(server.port()));
    }

    /** The test database server, while it runs. */
    public static EmbeddedPostgresServer server() {
        if (running == null) {
            throw new IllegalStateException("the test database is not running");
        }
        return running;
    }

    @Override
    public void stop() {
        running = null;
        for (Connection c : foreign) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the server stops next
            }
        }
        if (server != null) {
            server.close();
        }
    }
}
