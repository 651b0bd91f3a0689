package io.regfleet.control.pooler;

import java.time.Duration;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * PgBouncer in transaction mode in front of one database, as the operator deploys it and the e2e suite runs it:
 * {@link #ini} renders its configuration, {@link #userlist} its auth file. The server side is what the budget gives
 * it ({@code max_db_connections} = {@code default_pool_size}, no reserve pool, no minimum pool: PgBouncer holds
 * nothing more); the client side is the pods' pools ({@code max_client_conn}).
 * <p>
 * Transaction pooling keeps no session for a client, so the registry sends no session state through it (no startup
 * options, no SET; prepared statements only where PgBouncer tracks them, {@code max_prepared_statements} 1.21+): the
 * server sessions get the registry's timeouts from {@code connect_query} instead.
 *
 * @param listenAddress         where PgBouncer listens
 * @param listenPort            its port
 * @param server                the database it pools (the name clients use is the database's own)
 * @param serverConnections     server connections it may hold: max_db_connections and default_pool_size
 * @param clientConnections     max_client_conn
 * @param maxPreparedStatements max_prepared_statements; 0 leaves the setting out (PgBouncer before 1.21 refuses it)
 * @param timeouts              what the server sessions get, the registry's own settings
 */
public record PgBouncerSettings(String listenAddress, int listenPort, Server server, int serverConnections,
                                int clientConnections, int maxPreparedStatements, ServerTimeouts timeouts) {
    /** The registry runtime's default (regfleet.pool.statement-timeout): not a setting of a Registry. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /** PgBouncer closes a server connection idle this long (at most half the server's idle_session_timeout). */
    static final Duration SERVER_IDLE = Duration.ofSeconds(60);

    /**
     * The database PgBouncer connects to.
     *
     * @param sslMode libpq sslmode towards the server (server_tls_sslmode)
     * @param caFile  the CA file verifying the server, or null
     */
    public record Server(String host, int port, String database, String user, String sslMode, String caFile) {
        public Server {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * The session timeouts the registry gives its own sessions, which through a transaction pooler the server
     * sessions get instead (PgBouncer's connect_query).
     *
     * @param idleSession       the server ends a session idle this long (idle_session_timeout, 0: off); PgBouncer
     *                          closes its own idle server connections well before, and a stopped client's after it
     * @param idleInTransaction the server ends a session idle in an open transaction this long (0: off)
     */
    public record ServerTimeouts(Duration idleSession, Duration idleInTransaction) {
        public ServerTimeouts {
            Objects.requireNonNull(idleSession, "idleSession");
            Objects.requireNonNull(idleInTransaction, "idleInTransaction");
        }
    }

    public PgBouncerSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(timeouts, "timeouts");
        if (serverConnections < 1 || clientConnections < 1 || maxPreparedStatements < 0) {
            throw new IllegalArgumentException("invalid PgBouncer settings: " + serverConnections + " server connections, "
                    + clientConnections + " clients, " + maxPreparedStatements + " prepared statements");
        }
    }

    /** pgbouncer.ini, with the auth file at {@code authFile}. */
    public String ini(String authFile) {
        long idleSession = timeouts.idleSession().toSeconds();
        long serverIdle = idleSession == 0 ? SERVER_IDLE.toSeconds() : Math.min(SERVER_IDLE.toSeconds(), Math.max(1, idleSession / 2));
        StringJoiner connectQuery = new StringJoiner("; ");
        connectQuery.add("SET statement_timeout = " + STATEMENT_TIMEOUT.toMillis());
        connectQuery.add("SET idle_in_transaction_session_timeout = " + timeouts.idleInTransaction().toMillis());
        if (idleSession > 0) {
            connectQuery.add("SET idle_session_timeout = " + timeouts.idleSession().toMillis());
        }
        StringBuilder ini = new StringBuilder();
        ini.append("[databases]\n");
        ini.append(alias(server.database())).append(" = host=").append(value(server.host())).append(" port=").append(server.port())
                .append(" dbname=").append(value(server.database())).append(" user=").append(value(server.user()))
                .append(" pool_size=").append(serverConnections).append(" max_db_connections=").append(serverConnections)
                .append(" connect_query=").append(value(connectQuery.toString())).append("\n\n");
        ini.append("[pgbouncer]\n");
        line(ini, "listen_addr", listenAddress);
        line(ini, "listen_port", listenPort);
        line(ini, "unix_socket_dir", "");
        line(ini, "pool_mode", "transaction");
        line(ini, "auth_type", "scram-sha-256");
        line(ini, "auth_file", authFile);
        line(ini, "max_client_conn", clientConnections);
        line(ini, "default_pool_size", serverConnections);
        line(ini, "max_db_connections", serverConnections);
        line(ini, "min_pool_size", 0);
        line(ini, "reserve_pool_size", 0);
        line(ini, "server_idle_timeout", serverIdle);
        line(ini, "client_idle_timeout", idleSession);
        line(ini, "server_reset_query", "");
        // pgjdbc's, harmless to ignore: the registry needs 3 (exact floats) and sets nothing that depends on it
        line(ini, "ignore_startup_parameters", "extra_float_digits");
        if (server.sslMode() != null) {
            line(ini, "server_tls_sslmode", server.sslMode());
        }
        if (server.caFile() != null) {
            line(ini, "server_tls_ca_file", server.caFile());
        }
        if (maxPreparedStatements > 0) {
            line(ini, "max_prepared_statements", maxPreparedStatements);
        }
        line(ini, "logfile", "");
        line(ini, "pidfile", "");
        line(ini, "log_connections", 0);
        line(ini, "log_disconnections", 0);
        return ini.toString();
    }

    /** The auth file: the role's password in clear, which PgBouncer uses both to check clients and to log in. */
    public static String userlist(String user, String password) {
        return quoted(user) + " " + quoted(password) + "\n";
    }

    private static void line(StringBuilder ini, String key, Object value) {
        ini.append(key).append(" = ").append(value).append('\n');
    }

    /** A userlist entry in double quotes, an inner double quote doubled. */
    private static String quoted(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** A connection-string value in single quotes, libpq style (backslash escapes). */
    private static String value(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The database's name as the [databases] key clients connect to: as it is when plain, else in double quotes. */
    private static String alias(String name) {
        return name.matches("[A-Za-z0-9_.-]+") ? name : quoted(name);
    }
}
