package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A table of digests per repository ({@code repository_id}, {@code digest}): the blobs it holds, its manifests. */
enum DigestTable {
    BLOBS("repository_blob"),
    /** Deleting a manifest deletes every tag on it, through the tag's foreign key. */
    MANIFESTS("manifest");

    private final String presentSql;
    private final String deleteSql;

    DigestTable(String table) {
        presentSql = "SELECT digest FROM " + table + " WHERE repository_id = ? AND digest = ANY (?) FOR KEY SHARE";
        deleteSql = "DELETE FROM " + table + " t USING repository r"
                + " WHERE t.repository_id = r.id AND r.name = ? AND t.digest = ?";
    }

    /**
     * Which of the digests the repository lacks, in their order: one query ({@code digest = ANY (?)}) for them all.
     * The rows present stay locked (KEY SHARE) until the transaction ends: a collector cannot delete them meanwhile.
     */
    List<Digest> missing(Connection c, long repositoryId, List<Digest> digests) throws SQLException {
        if (digests.isEmpty()) {
            return List.of();
        }
        Set<String> present = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement(presentSql)) {
            s.setLong(1, repositoryId);
            s.setArray(2, c.createArrayOf("text", digests.stream().map(Digest::toString).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        return digests.stream().filter(d -> !present.contains(d.toString())).toList();
    }

    /** Removes the digest from the repository; true when it was there. */
    boolean delete(Connection c, RepositoryName repository, Digest digest) throws SQLException {
        return Sql.changes(c, deleteSql, repository.value(), digest.toString());
    }
}
