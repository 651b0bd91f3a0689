package io.regfleet.registry.metadata.postgres;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A unit of work's last notice and its COMMIT go out in one round trip ({@link ChangeNotices#sendAndCommit}). On a
 * real PostgreSQL: what the unit wrote is committed, every notice arrives, and the connection goes back to the pool
 * with no transaction open.
 */
class NoticeCommitTest {
    private static final String DATABASE = "regfleet";
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

    private static int count(Connection c, String query) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
