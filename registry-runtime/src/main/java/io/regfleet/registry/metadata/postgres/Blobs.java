package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.OptionalLong;

/** Blob rows and their links to repositories. */
final class Blobs {
    private Blobs() {
    }

    /** The size of a blob the repository may serve, or empty. One indexed query. */
    static OptionalLong sizeIn(Connection c, RepositoryName repository, Digest digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT b.size FROM repository r
                JOIN repository_blob rb ON rb.repository_id = r.id
                JOIN blob b ON b.digest = rb.digest
                WHERE r.name = ? AND rb.digest = ? AND b.quarantined_at IS NULL""")) {
            s.setString(1, repository.value());
            s.setString(2, digest.toString());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** {@link #sizeIn} with the blob row locked first, as {@link #lockedSizesIn} explains. */
    static OptionalLong lockedSizeIn(Connection c, RepositoryName repository, Digest digest) throws SQLException {
        Object[] texts = {digest.toString()};
        for (Set<String> locked = lock(c, texts); ; locked = lock(c, texts)) {
            OptionalLong size = sizeIn(c, repository, digest);
            if (size.isEmpty() || locked.contains(digest.toString())) {
                return size;
            }
        }
    }

    /**
     * The size of each of the digests the repository holds as a blob, for a manifest about to reference them. The
     * blob rows are locked first (KEY SHARE, until the transaction ends), and only then are the links read, in a
     * statement of its own (sent with the lock, {@link Sql#together}: its snapshot is still taken once the lock is
     * granted): a collector changes a blob's rows and links only under FOR UPDATE of its row, so it
     * either finished before the lock was granted (and the read sees what it removed) or cannot start until this
     * push ends. One query reading and locking at once would not do: when it waits for a locked blob row that is
     * not itself changed, PostgreSQL does not read the joined link row again, and would trust a removed link.
     */
    static Map<Digest, Long> lockedSizesIn(Connection c, long repositoryId, List<Digest> digests) throws SQLException {
        Map<Digest, Long> sizes = new HashMap<>();
        if (digests.isEmpty()) {
            return sizes;
        }
        Object[] texts = digests.stream().map(Digest::toString).toArray();
        // A blob recorded (by an upload committing) after the lock found no row for it is not locked: a collector
        // could delete it before this push references it. Lock again until every blob read is a locked one.
        while (true) {
            sizes.clear();
            Set<String> locked = new HashSet<>();
            try (PreparedStatement s = Sql.together(c, LOCK_ROWS, """
                    SELECT rb.digest, b.size FROM repository_blob rb JOIN blob b ON b.digest = rb.digest
                    WHERE rb.repository_id = ? AND rb.digest = ANY (?) AND b.quarantined_at IS NULL""")) {
                s.setArray(1, c.createArrayOf("text", texts));
                s.setLong(2, repositoryId);
                s.setArray(3, c.createArrayOf("text", texts));
                try (ResultSet rs = Sql.firstRows(s)) {
                    while (rs.next()) {
                        locked.add(rs.getString(1));
                    }
                }
                try (ResultSet rs = Sql.nextRows(s)) {
                    while (rs.next()) {
                        sizes.put(Digest.parse(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            if (sizes.keySet().stream().allMatch(d -> locked.contains(d.toString()))) {
                return sizes;
            }
        }
    }

    /** Locks the rows of the blobs (those that exist) with KEY SHARE until the transaction ends; answers their digests. */
    private static final String LOCK_ROWS = "SELECT digest FROM blob WHERE digest = ANY (?) ORDER BY digest FOR KEY SHARE";

    /** Runs {@link #LOCK_ROWS}; the digests locked. */
    private static Set<String> lock(Connection c, Object[] digests) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LOCK_ROWS)) {
            s.setArray(1, c.createArrayOf("text", digests));
            Set<String> locked = new HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    locked.add(rs.getString(1));
                }
            }
            return locked;
        }
    }

    /** Marks the blob quarantined; false when it is unknown or quarantined already. */
    static boolean quarantine(Connection c, Digest digest) throws SQLException {
        return Sql.changes(c, "UPDATE blob SET quarantined_at = now() WHERE digest = ? AND quarantined_at IS NULL",
                digest.toString());
    }

    static boolean quarantined(Connection c, Digest digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM blob WHERE digest = ? AND quarantined_at IS NOT NULL")) {
            s.setString(1, digest.toString());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** What recording an uploaded blob did: whether it lifted a quarantine, and whether its session was there. */
    record Uploaded(boolean restored, boolean ended) {
    }

    /**
     * Records a verified blob (idempotent), links it to the repository, queues it for review and ends its upload
     * session, in one statement (one round trip where it took four). {@code restored}: this lifted the blob's
     * quarantine (an upsert's row is an update, not an insert, exactly when its xmax is set). The link's foreign key
     * sees the blob row the same statement inserted: PostgreSQL checks it once the statement is done.
     */
    static Uploaded upload(Connection c, RepositoryName repository, Digest digest, long size, String uploadId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                WITH recorded AS (
                    INSERT INTO blob (digest, size) VALUES (?, ?) ON CONFLICT (digest)
                    DO UPDATE SET quarantined_at = NULL WHERE blob.quarantined_at IS NOT NULL
                    RETURNING xmax <> 0 AS restored),
                linked AS (
                    INSERT INTO repository_blob (repository_id, digest)
                    SELECT id, ? FROM repository WHERE name = ?
                    ON CONFLICT DO NOTHING),
                queued AS (""" + Reviews.QUEUE_BLOB + """
                ),
                ended AS (DELETE FROM upload WHERE id = ? RETURNING 1)
                SELECT EXISTS (SELECT 1 FROM recorded WHERE restored), EXISTS (SELECT 1 FROM ended)""")) {
            s.setString(1, digest.toString());
            s.setLong(2, size);
            s.setString(3, digest.toString());
            s.setString(4, repository.value());
            s.setString(5, digest.toString());
            s.setString(6, Reviews.Event.BLOB_UPLOAD.value());
            s.setString(7, uploadId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Uploaded(rs.getBoolean(1), rs.getBoolean(2));
            }
        }
    }

    /** Links an already recorded blob to a repository; false when the blob is not recorded. */
    static boolean link(Connection c, long repositoryId, Digest digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO repository_blob (repository_id, digest)
                SELECT ?, digest FROM blob WHERE digest = ?
                ON CONFLICT DO NOTHING""")) {
            s.setLong(1, repositoryId);
            s.setString(2, digest.toString());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM repository_blob WHERE repository_id = ? AND digest = ?")) {
            s.setLong(1, repositoryId);
            s.setString(2, digest.toString());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
