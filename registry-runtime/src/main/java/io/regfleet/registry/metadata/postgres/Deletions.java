package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.oci.Digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who may touch a digest's bytes. A writer (an upload committing the digest: {@code upload.committing_digest}) and a
 * deleter (a row in {@code blob_deletion}) exclude each other. Each side checks the other's mark and sets its own
 * under a transaction-scoped advisory lock on the digest, so the two checks cannot pass at once (they read
 * different tables, which row locks alone would not serialize). Writers wait for the lock; the collector only tries
 * it and postpones the digest when an upload holds it.
 */
final class Deletions {
    private static final String LOCK_KEY = "hashtextextended(?, 0)";

    private Deletions() {
    }

    private static final String LOCK = "SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")";

    /** Waits for the digest's lock, held until the transaction ends. */
    static void lock(Connection c, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LOCK)) {
            s.setString(1, digest);
            s.executeQuery().close();
        }
    }

    /**
     * The digest's lock ({@link #lock}) and then {@code query}, in one round trip and one transaction
     * ({@link Sql#together}, in autocommit mode too): the lock is held until {@code query} is done, and {@code query}
     * takes its snapshot once the lock is granted. The digest is parameter 1; the query's parameters follow from 2.
     * Read the query's rows with {@link #rowsAfterLock}.
     */
    static PreparedStatement lockThen(Connection c, String query) throws SQLException {
        return Sql.together(c, LOCK, query);
    }

    /** Runs a {@link #lockThen} statement and answers the rows of its query. */
    static ResultSet rowsAfterLock(PreparedStatement statement) throws SQLException {
        Sql.firstRows(statement);
        return Sql.nextRows(statement);
    }

    /** Takes the digest's lock if nobody holds it; false otherwise. */
    static boolean tryLock(Connection c, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(" + LOCK_KEY + ")")) {
            s.setString(1, digest);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** A deletion of the digest's bytes is in progress. */
    static boolean pending(Connection c, String digest) throws SQLException {
        return References.exists(c, "SELECT 1 FROM blob_deletion WHERE digest = ?", digest);
    }

    /** An upload is writing the digest's bytes right now. */
    static boolean beingWritten(Connection c, String digest) throws SQLException {
        return References.exists(c, "SELECT 1 FROM upload WHERE committing_digest = ?", digest);
    }

    /** Records that the digest's bytes are being deleted (idempotent). */
    static void claim(Connection c, String digest, String reason) throws SQLException {
        Sql.changes(c, "INSERT INTO blob_deletion (digest, reason) VALUES (?, ?) ON CONFLICT DO NOTHING", digest, reason);
    }

    /** Of the digests, those no row records, no upload writes and no deletion claims (no lock taken). */
    static List<String> unrecorded(Connection c, Collection<Digest> digests) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT d FROM unnest(?) AS d
                WHERE NOT EXISTS (SELECT 1 FROM blob b WHERE b.digest = d)
                  AND NOT EXISTS (SELECT 1 FROM upload u WHERE u.committing_digest = d)
                  AND NOT EXISTS (SELECT 1 FROM blob_deletion x WHERE x.digest = d)
                ORDER BY d""")) {
            s.setArray(1, c.createArrayOf("text", digests.stream().map(Digest::toString).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                List<String> found = new ArrayList<>();
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
                return found;
            }
        }
    }

    /** Claims older than {@code ageSeconds}, oldest first. */
    static List<Digest> stale(Connection c, double ageSeconds, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT digest FROM blob_deletion WHERE created_at <= now() - make_interval(secs => ?)
                ORDER BY created_at LIMIT ?""")) {
            s.setDouble(1, ageSeconds);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                List<Digest> digests = new ArrayList<>();
                while (rs.next()) {
                    digests.add(Digest.parse(rs.getString(1)));
                }
                return digests;
            }
        }
    }

    static void done(Connection c, Collection<Digest> digests) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM blob_deletion WHERE digest = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", digests.stream().map(Digest::toString).toArray()));
            s.executeUpdate();
        }
    }
}
