package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes as PostgreSQL notices on one channel: a line per change ({@code T <repository> <tag>}, {@code M <repository>
 * <digest>}, {@code L <repository> <digest>}, {@code B <digest>}, {@code *}; names, tags and digests hold no blank), as many
 * lines per notice as fit in its payload. Sent inside the transaction that made the changes, a notice reaches the
 * listeners only if it commits, and only after.
 */
final class ChangeNotices {
    static final String CHANNEL = "regfleet_metadata";
    /** PostgreSQL's payload limit is 8000 bytes; lines are ASCII. */
    private static final int MAX_PAYLOAD = 7900;

    private ChangeNotices() {
    }

    private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', ?)";

    /**
     * Sends the changes' notices as the transaction's last statements and commits it, the last notice and the COMMIT
     * in one round trip ({@link Sql#together}). The driver knows the transaction ended (the server says so), so the
     * caller's {@code commit()} that follows sends nothing. Without changes nothing is sent, nor committed.
     */
    static void sendAndCommit(Connection c, List<MetadataChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        List<String> payloads = payloads(changes);
        try (PreparedStatement s = c.prepareStatement(NOTIFY)) {
            for (String payload : payloads.subList(0, payloads.size() - 1)) {
                s.setString(1, payload);
                s.executeQuery().close();
            }
        }
        try (PreparedStatement s = Sql.together(c, NOTIFY, "COMMIT")) {
            s.setString(1, payloads.getLast());
            Sql.firstRows(s).close();
            s.getMoreResults(); // the COMMIT's: an error in it was thrown by the execution already
        }
    }

    static List<String> payloads(List<MetadataChange> changes) {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        for (MetadataChange change : changes) {
            String line = line(change);
            if (!payload.isEmpty() && payload.length() + 1 + line.length() > MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload.setLength(0);
            }
            payload.append(payload.isEmpty() ? "" : "\n").append(line);
        }
        payloads.add(payload.toString());
        return payloads;
    }

    static String line(MetadataChange change) {
        return switch (change) {
            case MetadataChange.Tag t -> "T " + t.repository() + " " + t.tag();
            case MetadataChange.Manifest m -> "M " + m.repository() + " " + m.digest();
            case MetadataChange.BlobLink l -> "L " + l.repository() + " " + l.digest();
            case MetadataChange.Blob b -> "B " + b.digest();
            case MetadataChange.Everything e -> "*";
        };
    }

    /** The changes of a notice; a line that is not one says that anything may have changed. */
    static List<MetadataChange> parse(String payload) {
        List<MetadataChange> changes = new ArrayList<>();
        for (String line : payload.split("\n")) {
            String[] f = line.split(" ");
            try {
                MetadataChange change = switch (f[0]) {
                    case "T" -> f.length == 3 ? new MetadataChange.Tag(new RepositoryName(f[1]), f[2]) : null;
                    case "M" -> f.length == 3 ? new MetadataChange.Manifest(new RepositoryName(f[1]), Digest.parse(f[2])) : null;
                    case "L" -> f.length == 3 ? new MetadataChange.BlobLink(new RepositoryName(f[1]), Digest.parse(f[2])) : null;
                    case "B" -> f.length == 2 ? new MetadataChange.Blob(Digest.parse(f[1])) : null;
                    default -> null;
                };
                changes.add(change != null ? change : new MetadataChange.Everything());
            } catch (RuntimeException e) {
                changes.add(new MetadataChange.Everything());
            }
        }
        return changes;
    }
}
