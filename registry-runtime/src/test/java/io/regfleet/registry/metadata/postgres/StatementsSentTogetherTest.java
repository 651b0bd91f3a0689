package io.regfleet.registry.metadata.postgres;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.UploadSession;
import io.regfleet.registry.metadata.UploadSessions;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statements sent together before one Sync ({@link Sql#together}), on a real PostgreSQL. An upload's commit claim
 * takes the digest's deletion lock and checks for a deletion in one round trip ({@link Deletions#lockThen}): the check
 * runs while the lock is held, and sees a deletion that committed while the lock was waited for. A unit of work's
 * last notice and its COMMIT go out together ({@link ChangeNotices#sendAndCommit}): what the unit wrote is committed,
 * every notice arrives, and the connection goes back to the pool with no transaction open.
 */
class StatementsSentTogetherTest {
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

    @Test
    void whatTheUnitWroteIsCommittedItsNoticesArriveAndNoTransactionStaysOpen() throws Exception {
        AtomicReference<Connection> used = new AtomicReference<>();
        Database db = new Database(() -> {
            Connection connection = server.superuserConnection(DATABASE);
            used.set(connection);
            return new Database.Lease(connection, () -> { });
        });
        try (Connection listener = server.superuserConnection(DATABASE)) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN " + ChangeNotices.CHANNEL);
            }
            // enough changes for several notices: all but the last are sent on their own
            List<MetadataChange> changes = IntStream.range(0, 1500)
                    .mapToObj(i -> (MetadataChange) new MetadataChange.Tag(new RepositoryName("app"), "t" + i)).toList();
            assertTrue(ChangeNotices.payloads(changes).size() > 1);
            db.queueing((c, effects) -> {
                Repositories.ensure(c, new RepositoryName("app"));
                changes.forEach(effects::changed);
                return null;
            });

            Connection leased = used.get();
            assertEquals(TransactionState.IDLE, leased.unwrap(BaseConnection.class).getTransactionState());
            assertTrue(leased.getAutoCommit(), "given back in autocommit mode");
            try (Connection other = server.superuserConnection(DATABASE)) {
                assertEquals(1, count(other, "SELECT count(*) FROM repository WHERE name = 'app'"), "committed");
                assertEquals(0, count(other, "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"));
            }
            assertEquals(changes, heard(listener, changes.size()), "every notice arrived, in order");
            leased.close();
        }
    }

    @Test
    void aUnitThatFailsCommitsNothingAndSendsNoNotice() throws Exception {
        Database db = new Database(() -> {
            Connection connection = server.superuserConnection(DATABASE);
            return new Database.Lease(connection, connection::close);
        });
        try (Connection listener = server.superuserConnection(DATABASE)) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN " + ChangeNotices.CHANNEL);
            }
            assertThrows(RuntimeException.class, () -> db.queueing((c, effects) -> {
                Repositories.ensure(c, new RepositoryName("failed"));
                effects.changed(new MetadataChange.Tag(new RepositoryName("failed"), "v1"));
                throw new IllegalStateException("the unit fails before it ends");
            }));
            try (Connection other = server.superuserConnection(DATABASE)) {
                assertEquals(0, count(other, "SELECT count(*) FROM repository WHERE name = 'failed'"));
            }
            listener.createStatement().execute("SELECT 1"); // a round trip delivers whatever was sent
            PGNotification[] none = listener.unwrap(PGConnection.class).getNotifications();
            assertFalse(none != null && none.length > 0, "no notice of a rolled back unit");
        }
    }

    private static List<MetadataChange> heard(Connection listener, int expected) throws SQLException {
        List<MetadataChange> heard = new ArrayList<>();
        while (heard.size() < expected) {
            PGNotification[] notices = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertTrue(notices != null && notices.length > 0, "notices within 10 s; heard " + heard.size());
            for (PGNotification notice : notices) {
                heard.addAll(ChangeNotices.parse(notice.getParameter()));
            }
        }
        return heard;
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
