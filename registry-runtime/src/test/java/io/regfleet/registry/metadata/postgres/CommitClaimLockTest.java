package io.regfleet.registry.metadata.postgres;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.metadata.UploadSession;
import io.regfleet.registry.metadata.UploadSessions;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upload's commit claim takes the digest's deletion lock and checks for a deletion in one round trip
 * ({@link Deletions#lockThen}). What that relies on, on a real PostgreSQL: the check runs while the lock is held, and
 * sees a deletion that committed while the lock was waited for.
 */
class CommitClaimLockTest {
    private static final String DATABASE = "regfleet";
    private static final String ADVISORY_LOCKS = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND %s";
    private static EmbeddedPostgresServer server;

    @BeforeAll
    static void startPostgres() {
        server = MigratedPostgres.start(DATABASE);
    }

    @AfterAll
    static void stopPostgres() {
        server.close();
    }

    @Test
    void theQueryAfterTheLockRunsWhileTheLockIsHeldAndTheLockEndsWithIt() throws SQLException {
        try (Connection c = server.superuserConnection(DATABASE)) {
            assertTrue(c.getAutoCommit(), "as Database.statement runs it");
            String mine = ADVISORY_LOCKS.formatted("granted AND pid = pg_backend_pid()");
            try (PreparedStatement s = Deletions.lockThen(c, mine)) {
                s.setString(1, digest("held").toString());
                try (ResultSet rs = Deletions.rowsAfterLock(s)) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1), "the lock is held while the query after it runs");
                }
            }
            assertEquals(0, count(c, mine), "and released with the statement's transaction");
        }
    }

    @Test
    void aClaimWaitingForTheLockSeesTheDeletionCommittedMeanwhile() throws Exception {
        Database db = new Database(() -> {
            Connection connection = server.superuserConnection(DATABASE);
            return new Database.Lease(connection, connection::close);
        });
        PostgresUploadSessions sessions = new PostgresUploadSessions(db);
        Digest layer = digest("layer");
        UploadSession session = sessions.create(new RepositoryName("app"), "upload-1", new UploadState(5, ""));
        assertTrue(sessions.lease(new RepositoryName("app"), "upload-1", OptionalLong.empty(), "writer",
                Duration.ofMinutes(1)).isPresent());

        try (Connection collector = server.superuserConnection(DATABASE)) {
            collector.setAutoCommit(false);
            assertTrue(Deletions.tryLock(collector, layer.toString()), "the collector decides a deletion first");
            CompletableFuture<UploadSessions.CommitClaim> claim =
                    CompletableFuture.supplyAsync(() -> sessions.beginCommit(session, "writer", layer));
            try (Connection probe = server.superuserConnection(DATABASE)) {
                while (count(probe, ADVISORY_LOCKS.formatted("NOT granted")) == 0) {
                    assertFalse(claim.isDone(), "the claim waits for the collector's lock: " + (claim.isDone() ? claim.join() : ""));
                    Thread.onSpinWait();
                }
            }
            try (PreparedStatement s = collector.prepareStatement(
                    "INSERT INTO blob_deletion (digest, reason) VALUES (?, 'collected')")) {
                s.setString(1, layer.toString());
                s.executeUpdate();
            }
            collector.commit();
            assertEquals(UploadSessions.CommitClaim.DELETING, claim.get(),
                    "the claim's check ran after the lock was granted, on a snapshot that has the deletion");
        }
        try (Connection c = server.superuserConnection(DATABASE)) {
            assertEquals(0, count(c, "SELECT count(*) FROM upload WHERE committing_digest IS NOT NULL"),
                    "nothing claimed");
        }
    }

    private static Digest digest(String content) {
        return Digest.sha256Of(content.getBytes(StandardCharsets.UTF_8));
    }

    private static int count(Connection c, String query) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
