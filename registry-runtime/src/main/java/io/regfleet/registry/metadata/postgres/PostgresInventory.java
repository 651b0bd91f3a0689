package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.DigestRange;
import io.regfleet.registry.metadata.Inventory;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The inventory on PostgreSQL: keyset pages in byte order ({@code COLLATE "C"}, served by the V4 indexes). A manifest
 * cursor is {@code digest/repository_id}; a blob cursor is its digest.
 */
@ApplicationScoped
public class PostgresInventory implements Inventory {
    /** Above every digest's text: the open upper bound of the last range. */
    private static final String TOP = "\u007f";
    /**
     * The byte cap applies over a window of the next rows: a row is returned while the contents before it stay under
     * the cap, so the first always is; the contents of rows past the cap are never read out.
     */
    private static final String MANIFEST_PAGE = """
            SELECT p.digest, r.name, p.media_type, p.content, p.repository_id, p.fetched FROM (
                SELECT l.*, count(*) OVER () AS fetched,
                       sum(l.size) OVER (ORDER BY l.digest COLLATE "C", l.repository_id) - l.size AS before
                FROM (SELECT m.digest, m.repository_id, m.media_type, m.content, m.size FROM manifest m
                      WHERE m.digest COLLATE "C" >= ? AND m.digest COLLATE "C" < ?
                        AND (m.digest COLLATE "C", m.repository_id) > (?, ?)
                      ORDER BY m.digest COLLATE "C", m.repository_id LIMIT ?) l) p
            JOIN repository r ON r.id = p.repository_id
            WHERE p.before < ?
            ORDER BY p.digest COLLATE "C", p.repository_id""";
    private static final String BLOB_PAGE = """
            SELECT digest, size, quarantined_at IS NOT NULL FROM blob
            WHERE digest COLLATE "C" >= ? AND digest COLLATE "C" < ? AND digest COLLATE "C" > ?
            ORDER BY digest COLLATE "C" LIMIT ?""";

    private final Database db;

    PostgresInventory(Database db) {
        this.db = db;
    }

    @Override
    public ScanPage<ScannedManifest> manifests(DigestRange range, String cursor, int limit, long maxBytes) {
        String afterDigest = "";
        long afterRepository = 0;
        if (cursor != null) {
            int slash = cursor.lastIndexOf('/');
            afterDigest = cursor.substring(0, slash);
            afterRepository = Long.parseLong(cursor.substring(slash + 1));
        }
        String fromDigest = afterDigest;
        long fromRepository = afterRepository;
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(MANIFEST_PAGE)) {
                bounds(s, range);
                s.setString(3, fromDigest);
                s.setLong(4, fromRepository);
                s.setInt(5, limit);
                s.setLong(6, Math.max(1, maxBytes));
                try (ResultSet rs = s.executeQuery()) {
                    List<ScannedManifest> items = new ArrayList<>();
                    String last = cursor;
                    long fetched = 0;
                    while (rs.next()) {
                        fetched = rs.getLong(6);
                        items.add(new ScannedManifest(new RepositoryName(rs.getString(2)),
                                new StoredManifest(Digest.parse(rs.getString(1)), rs.getString(3), rs.getBytes(4))));
                        last = rs.getString(1) + "/" + rs.getLong(5);
                    }
                    // fewer rows than the limit is the end of the range, unless the byte cap cut the page short
                    return new ScanPage<>(items, last, items.size() == limit || fetched > items.size());
                }
            }
        });
    }

    @Override
    public ScanPage<ScannedBlob> blobs(DigestRange range, String cursor, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(BLOB_PAGE)) {
                bounds(s, range);
                s.setString(3, cursor == null ? "" : cursor);
                s.setInt(4, limit);
                try (ResultSet rs = s.executeQuery()) {
                    List<ScannedBlob> items = new ArrayList<>();
                    while (rs.next()) {
                        items.add(new ScannedBlob(Digest.parse(rs.getString(1)), rs.getLong(2), rs.getBoolean(3)));
                    }
                    String last = items.isEmpty() ? cursor : items.getLast().digest().toString();
                    return new ScanPage<>(items, last, items.size() == limit);
                }
            }
        });
    }

    private static void bounds(PreparedStatement s, DigestRange range) throws SQLException {
        s.setString(1, range.from() == null ? "" : range.from());
        s.setString(2, range.to() == null ? TOP : range.to());
    }
}
