package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.Referrer;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Manifest rows: stored whole, found by tag or digest in one query. */
final class Manifests {
    private static final String SELECT = "SELECT m.digest, m.media_type, m.content FROM repository r ";

    private Manifests() {
    }

    static Optional<StoredManifest> byTag(Connection c, RepositoryName repository, String tag) throws SQLException {
        return one(c, SELECT + """
                JOIN tag t ON t.repository_id = r.id
                JOIN manifest m ON m.repository_id = t.repository_id AND m.digest = t.manifest_digest
                WHERE r.name = ? AND t.name = ?""", repository.value(), tag);
    }

    static Optional<StoredManifest> byDigest(Connection c, RepositoryName repository, Digest digest)
            throws SQLException {
        return one(c, SELECT + "JOIN manifest m ON m.repository_id = r.id WHERE r.name = ? AND m.digest = ?",
                repository.value(), digest.toString());
    }

    private static Optional<StoredManifest> one(Connection c, String sql, String a, String b) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, a);
            s.setString(2, b);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredManifest(Digest.parse(rs.getString(1)), rs.getString(2), rs.getBytes(3)));
            }
        }
    }

    /**
     * Makes sure the repository holds the manifest and keeps it until the transaction ends: an existing row is
     * locked (KEY SHARE, which a collector deleting it would need), a missing one inserted. True when inserted (its
     * references are then to be recorded). Both steps go in one round trip ({@link Sql#together}); the insert does
     * nothing when the lock found the row. A row a collector deletes between the two steps is simply inserted again;
     * one a concurrent push inserts between them is locked on the next turn.
     */
    static boolean insertOrLock(Connection c, long repositoryId, Digest digest, ParsedManifest parsed, byte[] content)
            throws SQLException {
        while (true) {
            try (PreparedStatement s = Sql.together(c,
                    "SELECT 1 FROM manifest WHERE repository_id = ? AND digest = ? FOR KEY SHARE", """
                    INSERT INTO manifest (repository_id, digest, media_type, artifact_type, size, content, subject_digest, annotations)
                    VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
                    ON CONFLICT (repository_id, digest) DO NOTHING""")) {
                s.setLong(1, repositoryId);
                s.setString(2, digest.toString());
                s.setLong(3, repositoryId);
                s.setString(4, digest.toString());
                s.setString(5, parsed.mediaType());
                s.setString(6, parsed.artifactType());
                s.setLong(7, content.length);
                s.setBytes(8, content);
                s.setString(9, parsed.subject() == null ? null : parsed.subject().toString());
                if (parsed.annotationsJson() == null) {
                    s.setNull(10, Types.VARCHAR);
                } else {
                    s.setString(10, parsed.annotationsJson());
                }
                boolean locked;
                try (ResultSet rs = Sql.firstRows(s)) {
                    locked = rs.next();
                }
                boolean inserted = Sql.nextCount(s) == 1;
                if (locked || inserted) {
                    return inserted;
                }
            }
            // a concurrent push inserted it after the lock looked: lock that row
        }
    }

    /** A locked manifest row: present, with its subject (null when it has none). */
    record Locked(String subject) {
    }

    /**
     * Locks the manifest row ({@code mode}: a FOR clause, with SKIP LOCKED or not); null when there is no such row,
     * or it is locked and {@code mode} skips locked rows.
     */
    static Locked lock(Connection c, long repositoryId, String digest, String mode) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT subject_digest FROM manifest WHERE repository_id = ? AND digest = ? " + mode)) {
            s.setLong(1, repositoryId);
            s.setString(2, digest);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Locked(rs.getString(1)) : null;
            }
        }
    }

    static boolean exists(Connection c, long repositoryId, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM manifest WHERE repository_id = ? AND digest = ?")) {
            s.setLong(1, repositoryId);
            s.setString(2, digest);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Queues a manifest that lost a tag, and its subject, which that tag may have held; returns how many. */
    static int queueWithSubject(Connection c, long repositoryId, String manifest, Reviews.Event event)
            throws SQLException {
        Locked locked = lock(c, repositoryId, manifest, "FOR KEY SHARE");
        List<String> digests = locked == null || locked.subject() == null
                ? List.of(manifest) : List.of(manifest, locked.subject());
        return Reviews.manifests(c, repositoryId, digests, event);
    }

    /**
     * Deletes a manifest whose row this transaction has locked, queueing first what it held: the blobs it
     * references, its index entries, its referrers and its subject. Its tags, references and own review go with it
     * (the caller announces the tags it knows of: a collected manifest has none).
     */
    static void deleteLocked(Connection c, long repositoryId, String digest, String subject, Effects effects)
            throws SQLException {
        effects.blobs(Reviews.blobs(c, References.blobsOf(c, repositoryId, digest), Reviews.Event.MANIFEST_DELETE));
        effects.manifests(Reviews.manifests(c, repositoryId, References.relatedTo(c, repositoryId, digest, subject),
                Reviews.Event.MANIFEST_DELETE));
        try (PreparedStatement s = c.prepareStatement("""
                DELETE FROM manifest m USING repository r WHERE m.repository_id = ? AND m.digest = ? AND r.id = m.repository_id
                RETURNING r.name""")) {
            s.setLong(1, repositoryId);
            s.setString(2, digest);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    effects.changed(new MetadataChange.Manifest(new RepositoryName(rs.getString(1)), Digest.parse(digest)));
                }
            }
        }
    }

    /** The manifests whose subject is {@code subject}, optionally of one artifact type, oldest first. */
    static List<Referrer> referrers(Connection c, RepositoryName repository, Digest subject, String artifactType)
            throws SQLException {
        String sql = """
                SELECT m.digest, m.media_type, m.size, m.artifact_type, m.annotations::text
                FROM repository r JOIN manifest m ON m.repository_id = r.id
                WHERE r.name = ? AND m.subject_digest = ?""" + (artifactType == null ? "" : " AND m.artifact_type = ?")
                + " ORDER BY m.created_at, m.digest";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, repository.value());
            s.setString(2, subject.toString());
            if (artifactType != null) {
                s.setString(3, artifactType);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<Referrer> referrers = new ArrayList<>();
                while (rs.next()) {
                    referrers.add(new Referrer(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5)));
                }
                return referrers;
            }
        }
    }
}
