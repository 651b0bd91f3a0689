package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.postgres.replica.Lsn;
import io.regfleet.registry.metadata.postgres.replica.Write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Where committed writes end in the primary's WAL, told to every pod on a channel of its own (pods that use no
 * replica do not LISTEN to it): the position on the first line, then the write's changes as {@link ChangeNotices}
 * lines ({@code *} when they do not fit). Sent right after the commit, on the writer's connection, in one statement
 * that reads the position and notifies it: a position read before the commit could come before the commit record,
 * which a replica must have replayed to see the write. The writer replies to its client only after this.
 * <p>
 * The changes travel again, after the in-transaction {@link ChangeNotices}, because a pod hears the two notices one
 * after the other: a cache miss between them would read a replica without knowing the write's position, and
 * remember the old answer as fresh. The listener records the position first and then forgets those answers again.
 */
final class WriteNotices {
    static final String CHANNEL = "regfleet_wal";
    private static final int MAX_PAYLOAD = 7900;

    /** A notice as heard: where the write ends, and what it changed. */
    record Notice(Lsn lsn, List<MetadataChange> changes) {
        Notice {
            changes = List.copyOf(changes);
        }

        Write write() {
            return Write.of(lsn, changes);
        }
    }

    private WriteNotices() {
    }

    /** After the commit of a write that made these changes: its position, noticed to every pod. */
    static Write send(Connection c, List<MetadataChange> changes) throws SQLException {
        List<String> lines = ChangeNotices.payloads(changes);
        String tail = lines.size() == 1 ? lines.getFirst() : "*";
        try (PreparedStatement s = c.prepareStatement(
                "SELECT l::text, pg_notify('" + CHANNEL + "', l::text || ?) FROM pg_current_wal_insert_lsn() l")) {
            s.setString(1, "\n" + tail);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Write.of(Lsn.parse(rs.getString(1)), tail.equals("*") ? List.of(new MetadataChange.Everything()) : changes);
            }
        }
    }

    /** The primary's position now. */
    static Lsn current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    /** @throws IllegalArgumentException when the payload is not one (an older pod's format among them) */
    static Notice parse(String payload) {
        int end = payload.indexOf('\n');
        if (end < 0) {
            throw new IllegalArgumentException("not a write notice: no changes after the position");
        }
        return new Notice(Lsn.parse(payload.substring(0, end)), ChangeNotices.parse(payload.substring(end + 1)));
    }
}
