package io.regfleet.e2e;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.LatencyProxy;
import io.regfleet.dev.RegistryProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica killed (SIGKILL) in the middle of a collection: its database is one slow hop away, so a collection of
 * some forty deleted images takes long enough to be cut, and it is cut as soon as a blob deletion is claimed (rows
 * gone, bytes maybe not) or, failing that, between two batches of blob deletions. Afterwards no row points at missing
 * bytes and every tagged image pulls byte-identical; a replica started next finishes the claims left open, collects
 * the rest, and its store sweep removes bytes no row records (those the crash left, and one planted as an upload
 * that died between its bytes and its row would leave), until the store holds exactly the referenced blobs.
 */
class GarbageCollectionCrashTest {
    private static final String REPO = "e2e/gc";
    private static final int KEPT = 6;
    private static final int DELETED = 40;
    static EmbeddedPostgresServer postgres;
    static LatencyProxy slowDatabase;
    static Path blobs;
    /** What the test started, closed in the reverse order. */
    static final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    static void start(@TempDir Path folder) {
        blobs = folder;
        postgres = Fleets.database();
        started.add(postgres);
        slowDatabase = LatencyProxy.start("127.0.0.1", postgres.port(), Duration.ofMillis(3));
        started.add(slowDatabase);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable resource : started.reversed()) {
            resource.close();
        }
    }

    @Test
    void aCollectorKilledMidCollectionLeavesNoRowWithoutBytesAndTheNextOneCleansUp() throws Exception {
        RegistryProcess seeder = replica("seeder", Map.of("regfleet.gc.enabled", "false"));
        byte[] shared = random(64 * 1024);
        Map<String, Image> kept = new LinkedHashMap<>();
        for (int i = 0; i < KEPT; i++) {
            kept.put("keep-" + i, push(seeder, "keep-" + i, shared));
        }
        for (int i = 0; i < DELETED; i++) {
            push(seeder, "doomed-" + i, shared);
            assertEquals(202, Http.send("DELETE", seeder.url() + "/v2/" + REPO + "/manifests/doomed-" + i, null)
                    .statusCode());
        }
        Path orphan = plantOrphan();
        int manifestsBefore = count("SELECT count(*) FROM manifest");

        RegistryProcess collector = replica("collector", Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + slowDatabase.port() + "/regfleet",
                "regfleet.gc.review-delay", "0S", "regfleet.gc.untagged-manifests", "0S",
                "regfleet.gc.batch-size", "8", "regfleet.gc.interval", "100MS", "regfleet.gc.sweep-interval", "1H"));
        String cutAt = killMidCollection(collector, manifestsBefore, count("SELECT count(*) FROM blob"));
        int manifestsCollected = manifestsBefore - count("SELECT count(*) FROM manifest");
        Set<String> claimed = digests("SELECT digest FROM blob_deletion");
        long claimedBytesLeft = claimed.stream().filter(d -> Files.exists(fileOf(d))).count();
        System.out.printf("FIGURE gc-crash: collector killed %s (%d of %d deleted manifests collected, %d blob rows"
                + " left, %d deletion claims open, %d of them with their bytes still stored)%n", cutAt,
                manifestsCollected, DELETED, count("SELECT count(*) FROM blob"), claimed.size(), claimedBytesLeft);
        assertTrue(count("SELECT count(*) FROM blob") > 2 * KEPT + 1, "killed before the collection ended");

        assertEveryRowHasItsBytes();
        kept.forEach((tag, image) -> assertPulls(seeder, tag, image));

        replica("recovery", Map.of("regfleet.gc.review-delay", "0S", "regfleet.gc.untagged-manifests", "0S",
                "regfleet.gc.interval", "100MS", "regfleet.gc.deletion-timeout", "3S", "regfleet.gc.sweep-interval", "2S"));
        Set<String> referenced = new HashSet<>();
        kept.values().forEach(image -> referenced.addAll(image.blobs().keySet()));
        awaitStoreHoldingExactly(referenced, orphan);

        assertEquals(referenced, storedDigests(), "the store holds exactly the blobs of the tagged images");
        assertEquals(referenced, digests("SELECT digest FROM blob"), "and the metadata records exactly those");
        assertEquals(0, count("SELECT count(*) FROM blob_deletion"), "no deletion left open");
        kept.forEach((tag, image) -> assertPulls(seeder, tag, image));
    }

    /**
     * Kills the collector once a blob deletion claim is open (it deletes blobs in batches after the manifests), or
     * at the latest once a third of the deleted images' blobs are gone; says which.
     */
    private static String killMidCollection(RegistryProcess collector, int manifestsBefore, int blobsBefore)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int collected = 0;
        try (Connection c = postgres.superuserConnection("regfleet"); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM blob_deletion),"
                        + " (SELECT count(*) FROM manifest), (SELECT count(*) FROM blob)")) {
                    rs.next();
                    collected = manifestsBefore - rs.getInt(2);
                    if (rs.getInt(1) > 0 || rs.getInt(3) <= blobsBefore - 2 * DELETED / 3) {
                        collector.kill();
                        return rs.getInt(1) > 0 ? "with a blob deletion claimed (rows gone, bytes being deleted)"
                                : "mid-collection, between blob deletions";
                    }
                }
            }
        }
        collector.kill();
        throw new AssertionError("the collector collected " + collected + " manifests in 90 s; log: " + collector.logTail());
    }

    /** Every blob row's bytes are in the store, at the recorded size: the crash left no row pointing at nothing. */
    private static void assertEveryRowHasItsBytes() throws Exception {
        try (Connection c = postgres.superuserConnection("regfleet"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT digest, size FROM blob WHERE quarantined_at IS NULL")) {
            while (rs.next()) {
                Path file = fileOf(rs.getString(1));
                assertTrue(Files.exists(file), "row without bytes: " + rs.getString(1));
                assertEquals(rs.getLong(2), Files.size(file));
            }
        }
    }

    /** Waits, bounded, until the recovering collector has left exactly the referenced blobs and removed the orphan. */
    private static void awaitStoreHoldingExactly(Set<String> referenced, Path orphan) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!Files.exists(orphan) && storedDigests().equals(referenced)
                    && count("SELECT count(*) FROM blob_deletion") == 0
                    && count("SELECT count(*) FROM gc_blob_review") + count("SELECT count(*) FROM gc_manifest_review") == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the recovering collector did not finish: orphan present " + Files.exists(orphan)
                + ", stored " + storedDigests().size() + " blobs for " + referenced.size() + " referenced");
    }

    private static RegistryProcess replica(String pod, Map<String, String> settings) {
        RegistryProcess replica = Fleets.replica(postgres, blobs, "gc-crash", pod, settings).start();
        started.add(replica);
        return replica.awaitReady(Duration.ofSeconds(90));
    }

    /** An image pushed: its manifest and its blobs by digest. */
    record Image(byte[] manifest, Map<String, byte[]> blobs) {
    }

    /** Pushes a config, a layer of its own and the shared layer, tagged. */
    private static Image push(RegistryProcess registry, String tag, byte[] shared) {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        byte[] config = ("{\"os\":\"linux\",\"n\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        blobs.put(Http.sha256(config), config);
        byte[] own = random(32 * 1024 + ThreadLocalRandom.current().nextInt(64 * 1024));
        blobs.put(Http.sha256(own), own);
        blobs.put(Http.sha256(shared), shared);
        blobs.forEach((digest, bytes) -> assertEquals(201, Http.send("POST", registry.url() + "/v2/" + REPO
                + "/blobs/uploads/?digest=" + digest, bytes, "Content-Type", "application/octet-stream").statusCode()));
        StringBuilder layers = new StringBuilder();
        blobs.entrySet().stream().skip(1).forEach(e -> layers.append(layers.isEmpty() ? "" : ",")
                .append(descriptor("application/vnd.oci.image.layer.v1.tar", e.getKey(), e.getValue().length)));
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", Http.sha256(config), config.length)
                + ",\"layers\":[" + layers + "]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = Http.send("PUT", registry.url() + "/v2/" + REPO + "/manifests/" + tag, manifest,
                "Content-Type", "application/vnd.oci.image.manifest.v1+json");
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        return new Image(manifest, blobs);
    }

    private static void assertPulls(RegistryProcess registry, String tag, Image image) {
        assertArrayEquals(image.manifest(), Http.send("GET", registry.url() + "/v2/" + REPO + "/manifests/" + tag, null,
                "Accept", "application/vnd.oci.image.manifest.v1+json").body());
        image.blobs().forEach((digest, bytes) -> {
            HttpResponse<byte[]> blob = Http.send("GET", registry.url() + "/v2/" + REPO + "/blobs/" + digest, null);
            assertEquals(200, blob.statusCode(), digest + " of " + tag);
            assertArrayEquals(bytes, blob.body());
        });
    }

    /** Bytes in the store that no row records, as an upload killed between its bytes and its row leaves them. */
    private static Path plantOrphan() throws IOException {
        byte[] bytes = random(4096);
        Path file = fileOf(Http.sha256(bytes));
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    private static Set<String> storedDigests() throws IOException {
        Path root = blobs.resolve("blobs").resolve("sha256");
        if (!Files.isDirectory(root)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            Set<String> digests = new HashSet<>();
            files.filter(Files::isRegularFile).forEach(f -> digests.add("sha256:" + f.getFileName()));
            return digests;
        }
    }

    private static Path fileOf(String digest) {
        String hex = digest.substring("sha256:".length());
        return blobs.resolve("blobs").resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    private static int count(String query) throws Exception {
        try (Connection c = postgres.superuserConnection("regfleet"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Set<String> digests(String query) throws Exception {
        Set<String> digests = new HashSet<>();
        try (Connection c = postgres.superuserConnection("regfleet"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                digests.add(rs.getString(1));
            }
        }
        return digests;
    }

    private static String descriptor(String mediaType, String digest, int size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
