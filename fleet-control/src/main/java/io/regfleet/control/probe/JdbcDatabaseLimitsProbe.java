package io.regfleet.control.probe;

import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.share.ServerIdentity;
import io.regfleet.control.share.ServerSnapshot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the limits over one short-lived connection of the operator's own (counted in the reserve).
 * {@link #probe}: connections of the fleet's role to the fleet's database are the fleet's, every other client backend
 * is foreign. {@link #server}: the server's identity, and connections counted by who holds them: every Regfleet
 * Registry by its application name ({@code regfleet/<registry>/<pod>}), everything else foreign (the operator's own
 * probes, named {@value #APPLICATION_NAME}, are in the Registries' reserves instead).
 * Without pg_read_all_stats a role cannot see other users' backend_type: a session with a database and a user is
 * then counted as a client (a transient parallel worker may be over-counted, which errs on the safe side).
 */
public class JdbcDatabaseLimitsProbe implements DatabaseLimitsProbe, ServerProbe {
    static final String APPLICATION_NAME = "regfleet-operator";

    private static final String CLIENT = """
            (backend_type = 'client backend' OR (backend_type IS NULL AND datname IS NOT NULL AND usename IS NOT NULL))
              AND pid <> pg_backend_pid()""";
    private static final String OUTSIDE_THE_FLEET =
            "NOT (usename IS NOT DISTINCT FROM current_user AND datname IS NOT DISTINCT FROM current_database())";
    private static final String OUTSIDE_EVERY_REGISTRY =
            "COALESCE(application_name NOT LIKE 'regfleet/%' AND application_name <> '" + APPLICATION_NAME + "', true)";
    private static final String LIMITS_SQL = """
            SELECT current_setting('max_connections')::int,
                   current_setting('superuser_reserved_connections')::int,
                   COALESCE((SELECT setting::int FROM pg_settings WHERE name = 'reserved_connections'), 0),
                   (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user),
                   (SELECT count(*) FROM pg_stat_activity WHERE %s AND %s)::int,
                   EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'aurora_version')
            """;
    private static final String PER_REGISTRY_SQL = """
            SELECT split_part(application_name, '/', 2), count(*)::int FROM pg_stat_activity
             WHERE %s AND application_name LIKE 'regfleet/%%' GROUP BY 1
            """.formatted(CLIENT);
    private static final String SYSTEM_IDENTIFIER_SQL = "SELECT system_identifier::text FROM pg_control_system()";

    private final int connectTimeoutSeconds;

    public JdbcDatabaseLimitsProbe(Duration connectTimeout) {
        this.connectTimeoutSeconds = (int) Math.max(1, connectTimeout.toSeconds());
    }

    @Override
    public DatabaseLimits probe(DatabaseConnectionInfo db) throws SQLException {
        try (Connection c = connect(db)) {
            return limits(c, OUTSIDE_THE_FLEET);
        }
    }

    @Override
    public ServerSnapshot server(DatabaseConnectionInfo db) throws SQLException {
        try (Connection c = connect(db)) {
            return new ServerSnapshot(identity(c, db), limits(c, OUTSIDE_EVERY_REGISTRY), perRegistry(c));
        }
    }

    @Override
    public ReplicaSnapshot replica(DatabaseConnectionInfo db) throws SQLException {
        try (Connection c = connect(db)) {
            ServerIdentity system = identity(c, db);
            boolean inRecovery;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                inRecovery = rs.getBoolean(1);
            }
            ServerIdentity own = new ServerIdentity(system.id() + "@" + system.address(), system.address());
            return new ReplicaSnapshot(new ServerSnapshot(own, limits(c, OUTSIDE_EVERY_REGISTRY), perRegistry(c)),
                    system.id().startsWith("address:") ? null : system.id(), inRecovery);
        }
    }

    private static Map<String, Integer> perRegistry(Connection c) throws SQLException {
        Map<String, Integer> registries = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(PER_REGISTRY_SQL)) {
            while (rs.next()) {
                registries.put(rs.getString(1), rs.getInt(2));
            }
        }
        return registries;
    }

    /**
     * The server's system identifier; a role refused pg_control_system() (or a server without it) is identified by
     * its address instead, so Registries reaching one server by different names would not be known to share it.
     */
    private static ServerIdentity identity(Connection c, DatabaseConnectionInfo db) {
        String address = db.host() + ":" + db.port();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SYSTEM_IDENTIFIER_SQL)) {
            if (rs.next()) {
                return new ServerIdentity(rs.getString(1), address);
            }
        } catch (SQLException e) {
            // permission denied or no such function: fall back to the address below
        }
        return new ServerIdentity("address:" + address, address);
    }

    private static DatabaseLimits limits(Connection c, String foreign) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(LIMITS_SQL.formatted(CLIENT, foreign))) {
            rs.next();
            return new DatabaseLimits(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getBoolean(6));
        }
    }

    private Connection connect(DatabaseConnectionInfo db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password());
        props.setProperty("sslmode", db.sslMode());
        if (db.sslRootCert() != null) {
            props.setProperty("sslrootcert", db.sslRootCert());
        }
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        props.setProperty("socketTimeout", Integer.toString(connectTimeoutSeconds * 2));
        props.setProperty("loginTimeout", Integer.toString(connectTimeoutSeconds));
        return DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database(), props);
    }
}
