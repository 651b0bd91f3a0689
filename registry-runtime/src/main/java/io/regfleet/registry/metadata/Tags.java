package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Tag rows: a name pointing at a manifest of the same repository. */
public final class Tags {
    private Tags() {
    }

    public static void put(Connection c, long repositoryId, String tag, Digest manifest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO tag (repository_id, name, manifest_digest) VALUES (?, ?, ?)
                ON CONFLICT (repository_id, name)
                DO UPDATE SET manifest_digest = EXCLUDED.manifest_digest, updated_at = now()""")) {
            s.setLong(1, repositoryId);
            s.setString(2, tag);
            s.setString(3, manifest.toString());
            s.executeUpdate();
        }
    }

    public static boolean delete(Connection c, RepositoryName repository, String tag) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                DELETE FROM tag t USING repository r WHERE t.repository_id = r.id AND r.name = ? AND t.name = ?""")) {
            s.setString(1, repository.value());
            s.setString(2, tag);
            return s.executeUpdate() > 0;
        }
    }

    /** Up to {@code limit} tags after {@code last}, in byte order. */
    public static List<String> page(Connection c, long repositoryId, String last, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name FROM tag WHERE repository_id = ? AND name > ? ORDER BY name LIMIT ?")) {
            s.setLong(1, repositoryId);
            s.setString(2, last == null ? "" : last);
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                List<String> tags = new ArrayList<>();
                while (rs.next()) {
                    tags.add(rs.getString(1));
                }
                return tags;
            }
        }
    }
}
