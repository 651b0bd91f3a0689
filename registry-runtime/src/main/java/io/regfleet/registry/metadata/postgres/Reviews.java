package io.regfleet.registry.metadata.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The review queues' SQL. Queueing is an upsert that moves {@code queued_at} forward (never DO NOTHING: a review
 * holding the row right now would otherwise swallow the newer event); it waits for a collector's claim, which is
 * short and never waits on the API. Claims take due rows no other collector holds (FOR UPDATE SKIP LOCKED).
 */
final class Reviews {
    /** What the API and the collector record as the reason a candidate was queued. */
    enum Event {
        BLOB_UPLOAD, BLOB_MOUNT, BLOB_UNLINK, UPLOAD_CANCEL, MANIFEST_DELETE, UNTAGGED_PUSH, TAG_DELETE, TAG_MOVE;

        String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final String REQUEUE = " DO UPDATE SET event = EXCLUDED.event, queued_at = now(), retry_at = NULL,"
            + " review_count = 0";
    /** Queues one blob, known to be recorded: its digest, then the event. */
    static final String QUEUE_BLOB = "INSERT INTO gc_blob_review (digest, event) VALUES (?, ?) ON CONFLICT (digest)"
            + REQUEUE;
    private static final String DUE = " WHERE queued_at <= now() - make_interval(secs => ?)"
            + " AND (retry_at IS NULL OR retry_at <= now()) ORDER BY queued_at LIMIT ? FOR UPDATE SKIP LOCKED";
    /** Failures and blobs in use are retried after 2, 4, 8 ... seconds, at most ten minutes. */
    private static final String BACKOFF = "now() + make_interval(secs => least(power(2, review_count + 1), 600))";

    private Reviews() {
    }

    /** Queues those of the blobs that are recorded; returns how many. */
    static int blobs(Connection c, Collection<String> digests, Event event) throws SQLException {
        if (digests.isEmpty()) {
            return 0;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO gc_blob_review (digest, event)
                SELECT digest, ? FROM blob WHERE digest = ANY (?) ORDER BY digest
                ON CONFLICT (digest)""" + REQUEUE)) {
            s.setString(1, event.value());
            s.setArray(2, c.createArrayOf("text", digests.stream().distinct().toArray()));
            return s.executeUpdate();
        }
    }

    /**
     * Queues those of the repository's manifests that exist, first locking them (KEY SHARE) so that one a collector
     * is deleting right now is waited for and then left out, rather than failing the queue's foreign key.
     */
    static int manifests(Connection c, long repositoryId, Collection<String> digests, Event event) throws SQLException {
        if (digests.isEmpty()) {
            return 0;
        }
        try (PreparedStatement s = c.prepareStatement("""
                WITH present AS (SELECT repository_id, digest FROM manifest
                                 WHERE repository_id = ? AND digest = ANY (?) ORDER BY digest FOR KEY SHARE)
                INSERT INTO gc_manifest_review (repository_id, digest, event)
                SELECT repository_id, digest, ? FROM present ORDER BY digest
                ON CONFLICT (repository_id, digest)""" + REQUEUE)) {
            s.setLong(1, repositoryId);
            s.setArray(2, c.createArrayOf("text", digests.stream().distinct().toArray()));
            s.setString(3, event.value());
            return s.executeUpdate();
        }
    }

    /** A claimed blob candidate. */
    record BlobClaim(String digest) {
    }

    /** A claimed manifest candidate; {@code oldEnough}: its last event is at least the untagged delay ago. */
    record ManifestClaim(long repositoryId, String digest, boolean oldEnough) {
    }

    static List<BlobClaim> claimBlobs(Connection c, double delaySeconds, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT digest FROM gc_blob_review" + DUE)) {
            s.setDouble(1, delaySeconds);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                List<BlobClaim> claims = new ArrayList<>();
                while (rs.next()) {
                    claims.add(new BlobClaim(rs.getString(1)));
                }
                return claims;
            }
        }
    }

    static List<ManifestClaim> claimManifests(Connection c, double delaySeconds, double untaggedSeconds, int limit)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT repository_id, digest,"
                + " queued_at <= now() - make_interval(secs => ?) FROM gc_manifest_review" + DUE)) {
            s.setDouble(1, untaggedSeconds);
            s.setDouble(2, delaySeconds);
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                List<ManifestClaim> claims = new ArrayList<>();
                while (rs.next()) {
                    claims.add(new ManifestClaim(rs.getLong(1), rs.getString(2), rs.getBoolean(3)));
                }
                return claims;
            }
        }
    }

    /** The blob was reviewed (kept or collected): its candidate leaves the queue. */
    static void dropBlob(Connection c, String digest) throws SQLException {
        Sql.changes(c, "DELETE FROM gc_blob_review WHERE digest = ?", digest);
    }

    static void dropManifest(Connection c, long repositoryId, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM gc_manifest_review WHERE repository_id = ? AND digest = ?")) {
            s.setLong(1, repositoryId);
            s.setString(2, digest);
            s.executeUpdate();
        }
    }

    /** In use right now: reviewed again after a backoff that grows with every postponement. */
    static void postponeBlob(Connection c, String digest) throws SQLException {
        Sql.changes(c, "UPDATE gc_blob_review SET retry_at = " + BACKOFF + ", review_count = review_count + 1"
                + " WHERE digest = ?", digest);
    }

    static void postponeManifest(Connection c, long repositoryId, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE gc_manifest_review SET retry_at = " + BACKOFF
                + ", review_count = review_count + 1 WHERE repository_id = ? AND digest = ?")) {
            s.setLong(1, repositoryId);
            s.setString(2, digest);
            s.executeUpdate();
        }
    }

    /** Not old enough for the untagged-manifest policy: reviewed again when it will be. */
    static void postponeManifestUntil(Connection c, long repositoryId, String digest, double afterQueuedSeconds)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE gc_manifest_review"
                + " SET retry_at = queued_at + make_interval(secs => ?) WHERE repository_id = ? AND digest = ?")) {
            s.setDouble(1, afterQueuedSeconds);
            s.setLong(2, repositoryId);
            s.setString(3, digest);
            s.executeUpdate();
        }
    }

    /** The sizes of both queues and of the deletions in progress, in one query. */
    static long[] sizes(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT (SELECT count(*) FROM gc_blob_review), (SELECT count(*) FROM gc_manifest_review),
                       (SELECT count(*) FROM blob_deletion)""");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }
}
