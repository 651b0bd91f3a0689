package io.regfleet.registry.metadata.postgres;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.MetadataStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
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
        server = MigratedPostgres.start(DATABASE);
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
        server.execute(DATABASE, "TRUNCATE repository, blob, repository_blob, manifest, tag, upload, manifest_blob,"
                + " manifest_child, gc_blob_review, gc_manifest_review, blob_deletion, verify_run RESTART IDENTITY CASCADE");
        Database db = new Database(() -> {
            Connection reused = idle.poll();
            Connection connection = reused != null ? reused : server.superuserConnection(DATABASE);
            return new Database.Lease(connection, () -> idle.offer(connection));
        });
        return new Stores(store(db), new PostgresUploadSessions(db), new PostgresInventory(db),
                new PostgresVerifyLedger(db), new PostgresGarbageCollection(db));
    }

    /** The store under test, over the database. */
    MetadataStore store(Database db) {
        return new PostgresMetadataStore(db);
    }

    /** Every timestamp the stores compare with now() moves back. */
    @Override
    protected void timePasses(Duration elapsed) {
        try (Connection c = server.superuserConnection(DATABASE)) {
            for (String update : new String[] {
                    "UPDATE upload SET updated_at = updated_at - %1$s, lease_until = lease_until - %1$s",
                    "UPDATE tag SET updated_at = updated_at - %1$s",
                    "UPDATE gc_blob_review SET queued_at = queued_at - %1$s, retry_at = retry_at - %1$s",
                    "UPDATE gc_manifest_review SET queued_at = queued_at - %1$s, retry_at = retry_at - %1$s",
                    "UPDATE blob_deletion SET created_at = created_at - %1$s",
                    "UPDATE verify_range SET lease_until = lease_until - %1$s"}) {
                try (PreparedStatement s = c.prepareStatement(update.formatted("make_interval(secs => ?)"))) {
                    for (int i = 1; i <= s.getParameterMetaData().getParameterCount(); i++) {
                        s.setDouble(i, elapsed.toMillis() / 1000.0);
                    }
                    s.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
