package io.regfleet.registry.api;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.gc.Collector;
import io.regfleet.registry.gc.StoreSweep;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.retention.RetentionPass;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.regfleet.registry.api.Oci.CONFIG;
import static io.regfleet.registry.api.Oci.LAYER;
import static io.regfleet.registry.api.Oci.OCI_INDEX;
import static io.regfleet.registry.api.Oci.OCI_MANIFEST;
import static io.regfleet.registry.api.Oci.descriptor;
import static io.regfleet.registry.api.Oci.random;
import static io.regfleet.registry.api.Oci.repo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Online garbage collection and retention through the API, the collector driven by the test (its loop is off here;
 * no review delay, untagged manifests collected at once): what a delete or a push leaves behind goes, rows then
 * bytes; what is still referenced stays; immutable tags are DENIED; corrupt blobs are still quarantined and healed.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(GarbageCollectionApiTest.Profile.class)
class GarbageCollectionApiTest extends ApiTestBase {

    /** Collector driven by the test; retention keeps two tags under retain/, v* tags are immutable under frozen/. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("regfleet.gc.enabled", "false", "regfleet.gc.review-delay", "0S",
                    "regfleet.gc.untagged-manifests", "0S", "regfleet.retention.rules", rulesFile());
        }

        private static String rulesFile() {
            try {
                Path rules = Files.createTempFile("retention", ".json");
                Files.writeString(rules, """
                        {"retention": [{"repositories": "retain/**", "keepNewest": 2}],
                         "immutable": [{"repositories": "frozen/**", "tags": "v*"}]}""");
                return rules.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Whatever earlier tests left is collected first, so each test sees only its own garbage counted. */
    @BeforeEach
    void collectEarlierGarbage() {
        collect();
    }

    @Test
    void aDeletedImageIsCollectedRowsAndBytes() {
        String repo = repo();
        Image image = Image.push(repo, "v1", 5000, 6000);
        double blobs = metric("regfleet_gc_collected_total{kind=\"blob\"");
        double manifests = metric("regfleet_gc_collected_total{kind=\"manifest\"");
        double bytes = metric("regfleet_gc_collected_bytes_total");

        given().delete("/v2/{n}/manifests/v1", repo).then().statusCode(202);
        collect();

        given().get("/v2/{n}/manifests/{d}", repo, image.digest()).then().statusCode(404);
        for (String blob : image.blobs()) {
            given().head("/v2/{n}/blobs/{d}", repo, blob).then().statusCode(404);
            assertFalse(Files.exists(blobFile(blob)), "its bytes left the store");
        }
        assertEquals(manifests + 1, metric("regfleet_gc_collected_total{kind=\"manifest\""));
        assertEquals(blobs + 3, metric("regfleet_gc_collected_total{kind=\"blob\""));
        assertEquals(bytes + image.size(), metric("regfleet_gc_collected_bytes_total"));
    }

    @Test
    void aSharedLayerStaysWhileAnImageOfAnotherRepositoryReferencesIt() {
        byte[] layer = random(7000);
        String first = repo();
        String shared = pushImageOf(first, "v1", layer);
        String second = repo();
        pushImageOf(second, "v1", layer);

        given().delete("/v2/{n}/manifests/v1", first).then().statusCode(202);
        collect();

        assertArrayEquals(layer, given().get("/v2/{n}/blobs/{d}", second, shared).then().statusCode(200)
                .extract().asByteArray());
        given().head("/v2/{n}/blobs/{d}", first, shared).then().statusCode(404);
        assertTrue(Files.exists(blobFile(shared)));
    }

    @Test
    void aLayerPushedButNeverReferencedIsCollected() {
        String repo = repo();
        String digest = Oci.pushBlob(repo, random(3000));

        collect();

        given().head("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(404);
        assertFalse(Files.exists(blobFile(digest)));
    }

    @Test
    void anIndexHoldsItsUntaggedChildrenUntilItsTagGoes() {
        String repo = repo();
        Image child = Image.push(repo, null, 4000);
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + child.digest() + "\",\"size\":"
                + child.manifest().length + "}]}").getBytes(StandardCharsets.UTF_8);
        Oci.putManifest(repo, "multi", OCI_INDEX, index).then().statusCode(201);
        collect();
        given().get("/v2/{n}/manifests/{d}", repo, child.digest()).then().statusCode(200);

        given().delete("/v2/{n}/manifests/multi", repo).then().statusCode(202);
        collect();

        given().get("/v2/{n}/manifests/{d}", repo, child.digest()).then().statusCode(404);
        for (String blob : child.blobs()) {
            given().head("/v2/{n}/blobs/{d}", repo, blob).then().statusCode(404);
        }
    }

    @Test
    void immutableTagsCannotBeMovedNorDeleted() {
        String repo = "frozen/" + repo();
        Image release = Image.push(repo, "v1", 1000);
        Image other = Image.push(repo, "latest", 1000);

        Response moved = Oci.putManifest(repo, "v1", OCI_MANIFEST, other.manifest());
        assertEquals(403, moved.statusCode());
        assertEquals("DENIED", Oci.errorCode(moved));
        assertEquals(List.of("v1"), moved.jsonPath().getList("errors[0].detail.tags"));
        Oci.putManifest(repo, "v1", OCI_MANIFEST, release.manifest()).then().statusCode(201); // the same: allowed
        Oci.putManifest(repo, "latest", OCI_MANIFEST, release.manifest()).then().statusCode(201); // not immutable
        assertEquals("DENIED", Oci.errorCode(given().delete("/v2/{n}/manifests/v1", repo).then().statusCode(403)
                .extract().response()));
        assertEquals("DENIED", Oci.errorCode(given().delete("/v2/{n}/manifests/{d}", repo, release.digest())
                .then().statusCode(403).extract().response()));

        assertEquals(release.digest(), given().get("/v2/{n}/manifests/v1", repo).then().statusCode(200)
                .extract().header("Docker-Content-Digest"));
        given().delete("/v2/{n}/manifests/latest", repo).then().statusCode(202);
    }

    @Test
    void retentionKeepsTheNewestTagsAndTheCollectorTakesWhatTheOthersHeld() {
        String repo = "retain/" + repo();
        List<Image> images = List.of(Image.push(repo, "t1", 1000), Image.push(repo, "t2", 1000),
                Image.push(repo, "t3", 1000), Image.push(repo, "t4", 1000));

        int deleted = Arc.container().instance(RetentionPass.class).get().applyOnce();
        collect();

        assertTrue(deleted >= 2, "the two oldest tags of this repository, at least");
        assertEquals(List.of("t3", "t4"), given().get("/v2/{n}/tags/list", repo).jsonPath().getList("tags"));
        for (Image gone : images.subList(0, 2)) {
            given().get("/v2/{n}/manifests/{d}", repo, gone.digest()).then().statusCode(404);
            gone.blobs().forEach(blob -> assertFalse(Files.exists(blobFile(blob))));
        }
        for (Image kept : images.subList(2, 4)) {
            assertArrayEquals(kept.manifest(), given().get("/v2/{n}/manifests/{d}", repo, kept.digest())
                    .then().statusCode(200).extract().asByteArray());
        }
    }

    @Test
    void theSweepDeletesBytesThatNoRowRecords() throws IOException {
        String repo = repo();
        Image kept = Image.push(repo, "v1", 2000);
        byte[] orphanBytes = random(1234);
        Digest orphan = Digest.sha256Of(orphanBytes);
        Path file = fileOf(orphan);
        Files.createDirectories(file.getParent());
        Files.write(file, orphanBytes); // as an upload that crashed between its bytes and its row would leave it
        double orphans = metric("regfleet_gc_collected_total{kind=\"orphan\"");

        Arc.container().instance(StoreSweep.class).get().sweepAll();

        assertFalse(Files.exists(file));
        assertEquals(orphans + 1, metric("regfleet_gc_collected_total{kind=\"orphan\""));
        kept.blobs().forEach(blob -> assertTrue(Files.exists(blobFile(blob))));
    }

    @Test
    void aCorruptBlobIsQuarantinedKeptWhileReferencedHealedByAPushAndCollectedOnceUnreferenced() throws Exception {
        String repo = repo();
        byte[] layer = random(2 * 1024 * 1024);
        String digest = pushImageOf(repo, "v1", layer);
        flipByte(blobFile(digest));

        try {
            given().get("/v2/{n}/blobs/{d}", repo, digest).asByteArray();
        } catch (Exception aborted) {
            // the response is cut short: the client never gets the corrupt bytes as a whole blob
        }
        awaitQuarantine(repo, digest);
        collect();
        given().get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(404)
                .body("errors[0].message", org.hamcrest.Matchers.containsString("quarantined"));

        Oci.pushBlob(repo, layer);
        assertArrayEquals(layer, given().get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(200)
                .extract().asByteArray());

        given().delete("/v2/{n}/manifests/v1", repo).then().statusCode(202);
        collect();
        given().head("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(404);
        assertFalse(Files.exists(blobFile(digest)));
    }

    // --- helpers

    /** A pushed image: its manifest and its blobs (config first). */
    record Image(byte[] manifest, List<String> blobs, long size) {
        String digest() {
            return Oci.digest(manifest);
        }

        /** Pushes a config and one random layer per size given, tagged {@code tag} (or by digest when null). */
        static Image push(String repo, String tag, int... layerSizes) {
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + java.util.UUID.randomUUID() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            List<String> blobs = new java.util.ArrayList<>(List.of(Oci.pushBlob(repo, config)));
            StringBuilder layers = new StringBuilder();
            long size = config.length;
            for (int layerSize : layerSizes) {
                byte[] layer = random(layerSize);
                blobs.add(Oci.pushBlob(repo, layer));
                layers.append(layers.isEmpty() ? "" : ",").append(descriptor(LAYER, layer));
                size += layer.length;
            }
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                    + descriptor(CONFIG, config) + ",\"layers\":[" + layers + "]}").getBytes(StandardCharsets.UTF_8);
            Oci.putManifest(repo, tag == null ? Oci.digest(manifest) : tag, OCI_MANIFEST, manifest).then().statusCode(201);
            return new Image(manifest, blobs, size);
        }
    }

    /** Pushes an image whose one layer is {@code layer}; returns the layer's digest. */
    private static String pushImageOf(String repo, String tag, byte[] layer) {
        String digest = Oci.pushBlob(repo, layer);
        byte[] config = ("{\"os\":\"linux\",\"n\":\"" + java.util.UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        Oci.pushBlob(repo, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(CONFIG, config) + ",\"layers\":[" + descriptor(LAYER, layer) + "]}").getBytes(StandardCharsets.UTF_8);
        Oci.putManifest(repo, tag, OCI_MANIFEST, manifest).then().statusCode(201);
        return digest;
    }

    private static void collect() {
        Arc.container().instance(Collector.class).get().drain();
    }

    private static Path blobFile(String digest) {
        return fileOf(Digest.parse(digest));
    }

    private static Path fileOf(Digest d) {
        Path root = Path.of(ConfigProvider.getConfig().getValue("regfleet.storage.filesystem.root", String.class));
        return root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex().substring(0, 2)).resolve(d.hex());
    }

    private static void flipByte(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
    }

    /** The quarantine follows a second read on its own thread: poll for it (a bound, not a timing assertion). */
    private static void awaitQuarantine(String repo, String digest) throws InterruptedException {
        for (int i = 0; i < 200 && given().head("/v2/{n}/blobs/{d}", repo, digest).statusCode() != 404; i++) {
            Thread.sleep(50);
        }
        given().head("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(404);
    }

    /** The sum of the metric's lines that start with {@code prefix} (a name and the start of its labels). */
    private static double metric(String prefix) {
        return given().port(ManifestApiTest.managementPort()).get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
