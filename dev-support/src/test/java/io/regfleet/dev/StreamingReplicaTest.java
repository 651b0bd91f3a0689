package io.regfleet.dev;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingReplicaTest {
    private static EmbeddedPostgresServer primary;
    private static EmbeddedPostgresServer standby;

    @BeforeAll
    static void start() {
        primary = EmbeddedPostgresServer.temporary(Map.of("max_connections", "20")).start();
        primary.execute("postgres", "CREATE TABLE t (n int)");
        primary.execute("postgres", "INSERT INTO t VALUES (1)");
        standby = StreamingReplica.of(primary, "r1", Map.of("max_connections", "20"));
    }

    @AfterAll
    static void stop() {
        if (standby != null) {
            standby.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void theStandbyHasTheCopyIsReadOnlyAndFollowsThePrimary() throws Exception {
        assertTrue(bool(standby, "SELECT pg_is_in_recovery()"), "a standby is in recovery");
        assertEquals(1, count(standby));
        assertThrows(IllegalStateException.class, () -> standby.execute("postgres", "INSERT INTO t VALUES (9)"));

        primary.execute("postgres", "INSERT INTO t VALUES (2)");
        assertEquals(2, awaitCount(2), "a row written on the primary reaches the standby");

        StreamingReplica.pauseReplay(standby);
        primary.execute("postgres", "INSERT INTO t VALUES (3)");
        Thread.sleep(300);
        assertEquals(2, count(standby), "while replay is paused the standby keeps the older data");
        assertFalse(bool(primary, "SELECT count(*) = 0 FROM pg_stat_replication WHERE application_name = 'r1'"),
                "the primary sees its standby streaming");
        StreamingReplica.resumeReplay(standby);
        assertEquals(3, awaitCount(3), "after resuming, the standby catches up");
    }

    private static int awaitCount(int wanted) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int seen;
        while ((seen = count(standby)) != wanted && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return seen;
    }

    private static int count(EmbeddedPostgresServer server) throws SQLException {
        try (Connection c = server.superuserConnection("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean bool(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection c = server.superuserConnection("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
