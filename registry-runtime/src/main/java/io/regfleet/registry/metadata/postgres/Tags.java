package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.metadata.TagRecord;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Tag rows: a name pointing at a manifest of the same repository, and when it was last pushed. */
final class Tags {
    private Tags() {
    }

    /** Where a tag pointed before this push ({@code null}: nowhere), and whether this push created it. */
    record Locked(String target, boolean created) {
        /** Neither found nor created: a concurrent push created it after the lock looked; look again. */
        boolean raced() {
            return target == null && !created;
        }
    }

    /**
     * Locks the tag's row (FOR UPDATE, until the transaction ends) and answers its manifest; when there is none, the
     * tag is created pointing at {@code manifest}. One round trip ({@link Sql#together}): the insert does nothing
     * when the lock found the row.
     */
    static Locked lockOrCreate(Connection c, long repositoryId, String tag, Digest manifest) throws SQLException {
        try (PreparedStatement s = Sql.together(c,
                "SELECT manifest_digest FROM tag WHERE repository_id = ? AND name = ? FOR UPDATE",
                "INSERT INTO tag (repository_id, name, manifest_digest) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setLong(1, repositoryId);
            s.setString(2, tag);
            s.setLong(3, repositoryId);
            s.setString(4, tag);
            s.setString(5, manifest.toString());
            String target;
            try (ResultSet rs = Sql.firstRows(s)) {
                target = rs.next() ? rs.getString(1) : null;
            }
            return new Locked(target, Sql.nextCount(s) == 1);
        }
    }

    /** Points the existing tag at the manifest (the same one again included: it was pushed again). */
    static void move(Connection c, long repositoryId, String tag, Digest manifest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE tag SET manifest_digest = ?, updated_at = now() WHERE repository_id = ? AND name = ?")) {
            s.setString(1, manifest.toString());
            s.setLong(2, repositoryId);
            s.setString(3, tag);
            s.executeUpdate();
        }
    }

    /** The tags on a manifest. */
    static List<String> on(Connection c, long repositoryId, String manifest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name FROM tag WHERE repository_id = ? AND manifest_digest = ? ORDER BY name")) {
            s.setLong(1, repositoryId);
            s.setString(2, manifest);
            try (ResultSet rs = s.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                return names;
            }
        }
    }

    /** A deleted tag: its repository and the manifest it pointed at. */
    record Deleted(long repositoryId, String manifest) {
    }

    /** Deletes the tag; with {@code unchanged}, only if it still points where and as pushed when it was listed. */
    static Deleted delete(Connection c, RepositoryName repository, String tag, TagRecord unchanged) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                DELETE FROM tag t USING repository r WHERE t.repository_id = r.id AND r.name = ? AND t.name = ?"""
                + (unchanged == null ? "" : " AND t.manifest_digest = ? AND t.updated_at = ?")
                + " RETURNING t.repository_id, t.manifest_digest")) {
            s.setString(1, repository.value());
            s.setString(2, tag);
            if (unchanged != null) {
                s.setString(3, unchanged.manifest().toString());
                s.setObject(4, unchanged.pushedAt().atOffset(ZoneOffset.UTC));
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Deleted(rs.getLong(1), rs.getString(2)) : null;
            }
        }
    }

    /** Every tag of the repository, most recently pushed first. */
    static List<TagRecord> records(Connection c, long repositoryId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT name, manifest_digest, updated_at FROM tag WHERE repository_id = ?
                ORDER BY updated_at DESC, name""")) {
            s.setLong(1, repositoryId);
            try (ResultSet rs = s.executeQuery()) {
                List<TagRecord> records = new ArrayList<>();
                while (rs.next()) {
                    records.add(new TagRecord(rs.getString(1), Digest.parse(rs.getString(2)),
                            rs.getObject(3, OffsetDateTime.class).toInstant()));
                }
                return records;
            }
        }
    }

    /** Up to {@code limit} tags after {@code last}, in byte order. */
    static Page page(Connection c, long repositoryId, String last, int limit) throws SQLException {
        return Sql.page(c, "SELECT name FROM tag WHERE repository_id = ? AND name > ? ORDER BY name LIMIT ?", limit,
                repositoryId, last == null ? "" : last);
    }
}
