package io.regfleet.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real PostgreSQL 18 from the embedded binaries, on 127.0.0.1 and a fixed port, with a data directory that
 * survives {@link #stop()} so that {@link #start()} brings the same database back (an outage, not a wipe).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    public static final String SUPERUSER = "postgres";

    private final Path dataDirectory;
    private final int port;
    private final Map<String, String> serverConfig;
    /** A temporary server's data directory goes with {@link #close()} (not with {@link #stop()}: an outage keeps it). */
    private final boolean temporary;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDirectory, int port, Map<String, String> serverConfig, boolean temporary) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.serverConfig = Map.copyOf(serverConfig);
        this.temporary = temporary;
    }

    /** A server in a new temporary data directory, on a free port, with the given settings (e.g. max_connections). */
    public static EmbeddedPostgresServer temporary(Map<String, String> serverConfig) {
        try {
            return new EmbeddedPostgresServer(Files.createTempDirectory("regfleet-pg"), FreePorts.next(), serverConfig, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server whose data directory is kept between runs (make run). */
    public static EmbeddedPostgresServer persistent(Path dataDirectory, int port, Map<String, String> serverConfig) {
        return new EmbeddedPostgresServer(dataDirectory, port, serverConfig, false);
    }

    /** A server in a data directory made for it (a standby's copy), deleted on {@link #close()}. */
    static EmbeddedPostgresServer temporaryIn(Path dataDirectory, Map<String, String> serverConfig) {
        return new EmbeddedPostgresServer(dataDirectory, FreePorts.next(), serverConfig, true);
    }

    public synchronized EmbeddedPostgresServer start() {
        if (postgres != null) {
            return this;
        }
        try {
            Files.createDirectories(dataDirectory);
            Map<String, String> config = new LinkedHashMap<>();
            config.put("listen_addresses", "127.0.0.1");
            config.putAll(serverConfig);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port);
            config.forEach(builder::setServerConfig);
            postgres = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + dataDirectory, e);
        }
    }

    /** Stops the server (fast shutdown: open sessions are terminated); the data directory stays. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates a database (and nothing else) if it does not exist yet. */
    public EmbeddedPostgresServer createDatabase(String name) {
        execute("postgres", "SELECT 1"); // fail early with a clear error when the server is down
        try (Connection c = superuserConnection("postgres"); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return this;
    }

    /** Runs one statement as the superuser. */
    public void execute(String database, String sql) {
        try (Connection c = superuserConnection(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    public Connection superuserConnection(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, "postgres");
    }

    /** Stops the server; a temporary one's data directory is deleted too (test runs would otherwise fill the disk). */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (temporary) {
                deleteTree(dataDirectory);
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
