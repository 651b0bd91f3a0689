package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.oci.Digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Membership of many digests in one query ({@code digest = ANY (?)}): no query per reference. */
final class DigestSets {
    private DigestSets() {
    }

    /** @param sql a query with the repository id and a text array as parameters, selecting the digests present */
    static Set<String> present(Connection c, String sql, long repositoryId, Collection<Digest> digests) throws SQLException {
        if (digests.isEmpty()) {
            return Set.of();
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, repositoryId);
            s.setArray(2, c.createArrayOf("text", digests.stream().map(Digest::toString).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                Set<String> present = new HashSet<>();
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
                return present;
            }
        }
    }
}
