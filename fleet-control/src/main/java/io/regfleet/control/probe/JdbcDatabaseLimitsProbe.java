package io.regfleet.control.probe;

import io.regfleet.control.budget.DatabaseLimits;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Reads the limits over one short-lived connection of the operator's own (counted in the reserve).
 * Connections of the fleet's role to the fleet's database are the fleet's; every other client backend is foreign.
 * Without pg_read_all_stats a role cannot see other users' backend_type: a session with a database and a user is
 * then counted as a client (a transient parallel worker may be over-counted, which errs on the safe side).
 */
public class JdbcDatabaseLimitsProbe implements DatabaseLimitsProbe {
    static final String APPLICATION_NAME = "regfleet-operator";

    private static final String LIMITS_SQL = """
            SELECT current_setting('max_connections')::int,
                   current_setting('superuser_reserved_connections')::int,
                   COALESCE((SELECT setting::int FROM pg_settings WHERE name = 'reserved_connections'), 0),
                   (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user),
                   (SELECT count(*) FROM pg_stat_activity
                     WHERE (backend_type = 'client backend'
                            OR (backend_type IS NULL AND datname IS NOT NULL AND usename IS NOT NULL))
                       AND pid <> pg_backend_pid()
                       AND NOT (usename IS NOT DISTINCT FROM current_user AND datname IS NOT DISTINCT FROM current_database()))::int,
                   EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'aurora_version')
            """;

    private final int connectTimeoutSeconds;

    public JdbcDatabaseLimitsProbe(Duration connectTimeout) {
        this.connectTimeoutSeconds = (int) Math.max(1, connectTimeout.toSeconds());
    }

    @Override
    public DatabaseLimits probe(DatabaseConnectionInfo db) throws SQLException {
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
        String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database();
        try (Connection c = DriverManager.getConnection(url, props);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(LIMITS_SQL)) {
            rs.next();
            return new DatabaseLimits(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getBoolean(6));
        }
    }
}
