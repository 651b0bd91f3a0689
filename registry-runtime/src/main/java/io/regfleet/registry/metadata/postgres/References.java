package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.oci.Digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What manifests reference ({@code manifest_blob}, {@code manifest_child}, the subject column), recorded when a
 * manifest is stored and asked by the collector: "does anything still hold this?" is one indexed probe.
 */
final class References {
    private References() {
    }

    /** Records a new manifest's blobs and index entries. */
    static void record(Connection c, long repositoryId, Digest manifest, ParsedManifest parsed) throws SQLException {
        insert(c, "INSERT INTO manifest_blob (repository_id, manifest_digest, blob_digest)",
                repositoryId, manifest, parsed.blobs());
        insert(c, "INSERT INTO manifest_child (repository_id, parent_digest, child_digest)",
                repositoryId, manifest, parsed.manifests());
    }

    private static void insert(Connection c, String insert, long repositoryId, Digest manifest, List<Digest> targets)
            throws SQLException {
        if (targets.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(insert
                + " SELECT DISTINCT ?, ?, target FROM unnest(?) AS target ON CONFLICT DO NOTHING")) {
            s.setLong(1, repositoryId);
            s.setString(2, manifest.toString());
            s.setArray(3, c.createArrayOf("text", targets.stream().map(Digest::toString).toArray()));
            s.executeUpdate();
        }
    }

    /** The blobs a manifest references. */
    static List<String> blobsOf(Connection c, long repositoryId, String manifest) throws SQLException {
        return strings(c, "SELECT blob_digest FROM manifest_blob WHERE repository_id = ? AND manifest_digest = ?",
                repositoryId, manifest);
    }

    /**
     * The manifests whose review a deleted manifest calls for: its index entries, its referrers (their subject is
     * gone) and its subject (it may have been held by this referrer's tag).
     */
    static List<String> relatedTo(Connection c, long repositoryId, String manifest, String subject) throws SQLException {
        List<String> related = strings(c, """
                SELECT child_digest FROM manifest_child WHERE repository_id = ? AND parent_digest = ?
                UNION SELECT digest FROM manifest WHERE repository_id = ? AND subject_digest = ?""",
                repositoryId, manifest, repositoryId, manifest);
        if (subject != null) {
            related.add(subject);
        }
        return related;
    }

    /** Whether any manifest of any repository references the blob. */
    static boolean blobReferenced(Connection c, String digest) throws SQLException {
        return exists(c, "SELECT 1 FROM manifest_blob WHERE blob_digest = ?", digest);
    }

    /**
     * Whether anything holds the manifest: a tag on it, an index listing it, its subject (still present: it is a
     * referrer attached to it), or a tagged referrer of its own.
     */
    static boolean manifestHeld(Connection c, long repositoryId, String manifest, String subject) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM tag WHERE repository_id = ? AND manifest_digest = ?)
                    OR EXISTS (SELECT 1 FROM manifest_child WHERE repository_id = ? AND child_digest = ?)
                    OR EXISTS (SELECT 1 FROM manifest WHERE repository_id = ? AND digest = ?)
                    OR EXISTS (SELECT 1 FROM manifest r JOIN tag t
                                   ON t.repository_id = r.repository_id AND t.manifest_digest = r.digest
                               WHERE r.repository_id = ? AND r.subject_digest = ?)""")) {
            for (int i = 0; i < 4; i++) {
                s.setLong(2 * i + 1, repositoryId);
                s.setString(2 * i + 2, i == 2 ? subject : manifest);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<String> strings(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return values;
            }
        }
    }

    static boolean exists(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
