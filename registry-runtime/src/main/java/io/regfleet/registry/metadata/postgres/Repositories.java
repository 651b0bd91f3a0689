package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/** Repository rows: created on first push, listed by the catalog. */
final class Repositories {
    private Repositories() {
    }

    static OptionalLong find(Connection c, RepositoryName name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM repository WHERE name = ?")) {
            s.setString(1, name.value());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** The repository's id, creating it when it does not exist yet (one round trip, race-free). */
    static long ensure(Connection c, RepositoryName name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                WITH created AS (INSERT INTO repository (name) VALUES (?) ON CONFLICT (name) DO NOTHING RETURNING id)
                SELECT id FROM created UNION ALL SELECT id FROM repository WHERE name = ?""")) {
            s.setString(1, name.value());
            s.setString(2, name.value());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        // ON CONFLICT with a concurrent insert not yet visible to this snapshot: read again
        return find(c, name).orElseThrow(() -> new SQLException("repository vanished: " + name));
    }

    /** Up to {@code limit} names after {@code last} in byte order. */
    static Page page(Connection c, String last, int limit) throws SQLException {
        return Sql.page(c, "SELECT name FROM repository WHERE name > ? ORDER BY name LIMIT ?", limit,
                last == null ? "" : last);
    }
}
