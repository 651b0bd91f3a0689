package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.postgres.replica.Lsn;
import io.regfleet.registry.metadata.postgres.replica.Write;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where committed writes end in the primary's WAL, told to every pod on a channel of its own (pods that use no
 * replica do not LISTEN to it): {@code <lsn> <repository>...}, or {@code <lsn> *} for a write that may change any
 * repository's reads. Sent right after the commit, on the writer's connection, in one statement that reads the
 * position and notifies it: a position read before the commit could come before the commit record, which a replica
 * must have replayed to see the write. The writer replies to its client only after this, so the notice is committed
 * before the client can read through another pod.
 */
final class WriteNotices {
    static final String CHANNEL = "regfleet_wal";
    private static final int MAX_PAYLOAD = 7900;

    private WriteNotices() {
    }

    /** After the commit of a write that made these changes: its position, noticed to every pod. */
    static Write send(Connection c, List<MetadataChange> changes) throws SQLException {
        Write write = Write.of(Lsn.ZERO, changes);
        String tail = write.everywhere() ? " *"
                : write.repositories().stream().map(r -> " " + r.value()).collect(Collectors.joining());
        if (tail.length() > MAX_PAYLOAD) {
            tail = " *";
            write = new Write(Lsn.ZERO, Set.of(), true);
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT l::text, pg_notify('" + CHANNEL + "', l::text || ?) FROM pg_current_wal_insert_lsn() l")) {
            s.setString(1, tail);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Write(Lsn.parse(rs.getString(1)), write.repositories(), write.everywhere());
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

    /** @throws IllegalArgumentException when the payload is not one */
    static Write parse(String payload) {
        String[] fields = payload.split(" ");
        Lsn lsn = Lsn.parse(fields[0]);
        if (fields.length == 2 && fields[1].equals("*")) {
            return new Write(lsn, Set.of(), true);
        }
        Set<RepositoryName> repositories = new HashSet<>();
        try {
            for (int i = 1; i < fields.length; i++) {
                repositories.add(new RepositoryName(fields[i]));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a write notice: " + payload, e);
        }
        return new Write(lsn, repositories, false);
    }
}
