package io.regfleet.registry.metadata.postgres;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.registry.oci.Digest;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V3 on a registry that already holds content: the references of the stored manifests are backfilled as the parser
 * reads them, a manifest that is not JSON references nothing (and does not stop the migration), and everything
 * stored is queued for one review.
 */
class GcMigrationTest {
    private static final String DATABASE = "regfleet";
    private static EmbeddedPostgresServer server;

    @BeforeAll
    static void startPostgres() {
        server = EmbeddedPostgresServer.temporary(Map.of()).start().createDatabase(DATABASE);
    }

    @AfterAll
    static void stopPostgres() {
        server.close();
    }

    @Test
    void backfillsTheReferencesOfStoredManifestsAndQueuesEverythingOnce() throws SQLException {
        migrate("2");
        String config = digest("config");
        String layer = digest("layer");
        String foreign = digest("foreign layer, never pushed");
        String image = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"c\",\"digest\":\"" + config + "\",\"size\":6},\"layers\":["
                + "{\"mediaType\":\"l\",\"digest\":\"" + layer + "\",\"size\":5},"
                + "{\"mediaType\":\"l\",\"digest\":\"" + foreign + "\",\"size\":9,\"urls\":[\"https://x\"]}]}";
        String imageDigest = digest(image);
        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"m\",\"digest\":\"" + imageDigest
                + "\",\"size\":1}]}";
        String corrupt = "{\"schemaVersion\":2,\"config\":{\"digest\":\"" + config; // truncated at rest
        try (Connection c = server.superuserConnection(DATABASE); Statement s = c.createStatement()) {
            s.execute("INSERT INTO repository (name) VALUES ('team/app')");
            s.execute("INSERT INTO blob (digest, size) VALUES ('" + config + "', 6), ('" + layer + "', 5)");
            s.execute("INSERT INTO repository_blob (repository_id, digest) SELECT 1, digest FROM blob");
            insertManifest(c, image);
            insertManifest(c, index);
            insertManifest(c, corrupt);
            s.execute("INSERT INTO tag (repository_id, name, manifest_digest) VALUES (1, 'multi', '" + digest(index) + "')");
        }

        migrate("3");

        assertEquals(Set.of(imageDigest + " " + config, imageDigest + " " + layer),
                rows("SELECT manifest_digest || ' ' || blob_digest FROM manifest_blob"));
        assertEquals(Set.of(digest(index) + " " + imageDigest),
                rows("SELECT parent_digest || ' ' || child_digest FROM manifest_child"));
        assertEquals(Set.of(config, layer), rows("SELECT digest FROM gc_blob_review"));
        assertEquals(Set.of(imageDigest, digest(corrupt)), rows("SELECT digest FROM gc_manifest_review"),
                "the untagged manifests (the index's child is held by it, which its review will find)");
    }

    private static void migrate(String target) {
        Flyway.configure().dataSource(server.jdbcUrl(DATABASE), EmbeddedPostgresServer.SUPERUSER, "postgres")
                .target(MigrationVersion.fromVersion(target)).load().migrate();
    }

    private static void insertManifest(Connection c, String content) throws SQLException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO manifest (repository_id, digest, media_type, size,"
                + " content) VALUES (1, ?, 'application/vnd.oci.image.manifest.v1+json', ?, ?)")) {
            s.setString(1, digest(content));
            s.setLong(2, bytes.length);
            s.setBytes(3, bytes);
            s.executeUpdate();
        }
    }

    private static Set<String> rows(String query) throws SQLException {
        Set<String> rows = new HashSet<>();
        try (Connection c = server.superuserConnection(DATABASE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static String digest(String content) {
        return Digest.sha256Of(content.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
