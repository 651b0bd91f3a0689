package io.regfleet.registry.metadata.postgres;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.registry.metadata.MetadataStoreContract;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The contract on a real PostgreSQL 18 with the registry's Flyway schema. Each unit of work gets a connection of its
 * own, reused once given back (the registry's governed pool is not the store's concern); time passes by moving the
 * sessions' and leases' timestamps back.
 */
class PostgresMetadataTest extends MetadataStoreContract {
    private static final String DATABASE = "regfleet";
    private static EmbeddedPostgresServer server;
    /** Connections given back, reused by the next units of work: a walk over every range is hundreds of them. */
    private static final Queue<Connection> idle = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startPostgres() {
        server = EmbeddedPostgresServer.temporary(Map.of()).start().createDatabase(DATABASE);
        Flyway.configure().dataSource(server.jdbcUrl(DATABASE), EmbeddedPostgresServer.SUPERUSER, "postgres").load()
                .migrate();
    }

    @AfterAll
    static void stopPostgres() throws SQLException {
        for (Connection c; (c = idle.poll()) != null; ) {
            c.close();
        }
        server.close();
    }

    @Override
    protected Stores emptyStores() {
        server.execute(DATABASE, "TRUNCATE repository, blob, repository_blob, manifest, tag, upload, verify_run RESTART IDENTITY CASCADE");
        Database db = new Database(() -> {
            Connection reused = idle.poll();
            Connection connection = reused != null ? reused : server.superuserConnection(DATABASE);
            return new Database.Lease(connection, () -> idle.offer(connection));
        });
        return new Stores(new PostgresMetadataStore(db), new PostgresUploadSessions(db), new PostgresInventory(db),
                new PostgresVerifyLedger(db));
    }

    private static void shift(Connection c, String sql, Duration elapsed) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setDouble(1, elapsed.toMillis() / 1000.0);
            s.executeUpdate();
        }
    }

    @Override
    protected void timePasses(Duration elapsed) {
        try (Connection c = server.superuserConnection(DATABASE); PreparedStatement s = c.prepareStatement("""
                UPDATE upload SET updated_at = updated_at - make_interval(secs => ?),
                                  lease_until = lease_until - make_interval(secs => ?)""")) {
            s.setDouble(1, elapsed.toMillis() / 1000.0);
            s.setDouble(2, elapsed.toMillis() / 1000.0);
            s.executeUpdate();
            shift(c, "UPDATE verify_range SET lease_until = lease_until - make_interval(secs => ?)", elapsed);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
