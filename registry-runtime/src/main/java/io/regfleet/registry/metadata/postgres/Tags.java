package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Tag rows: a name pointing at a manifest of the same repository. */
final class Tags {
    private Tags() {
    }

    static void put(Connection c, long repositoryId, String tag, Digest manifest) throws SQLException {
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

    static boolean delete(Connection c, RepositoryName repository, String tag) throws SQLException {
        return Sql.changes(c, """
                DELETE FROM tag t USING repository r WHERE t.repository_id = r.id AND r.name = ? AND t.name = ?""",
                repository.value(), tag);
    }

    /** Up to {@code limit} tags after {@code last}, in byte order. */
    static Page page(Connection c, long repositoryId, String last, int limit) throws SQLException {
        return Sql.page(c, "SELECT name FROM tag WHERE repository_id = ? AND name > ? ORDER BY name LIMIT ?", limit,
                repositoryId, last == null ? "" : last);
    }
}
