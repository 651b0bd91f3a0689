package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.metadata.cache.MetadataCache;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import static io.regfleet.registry.api.Oci.OCI_INDEX;
import static io.regfleet.registry.api.Oci.OCI_MANIFEST;
import static io.regfleet.registry.api.Oci.digest;
import static io.regfleet.registry.api.Oci.putManifest;
import static io.regfleet.registry.api.Oci.repo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ManifestApiTest extends ApiTestBase {
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    @Test
    void aPushByDigestWithTagParametersTagsTheManifestInEveryAlgorithm() throws Exception {
        String repo = repo();
        byte[] manifest = Oci.imageManifest(repo, 1, null);
        for (String algorithm : new String[]{"SHA-256", "SHA-512"}) {
            String hex = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance(algorithm).digest(manifest));
            String digest = algorithm.equals("SHA-256") ? "sha256:" + hex : "sha512:" + hex;
            String a = algorithm.equals("SHA-256") ? "a256" : "a512";
            String b = algorithm.equals("SHA-256") ? "b256" : "b512";
            given().contentType(OCI_MANIFEST).body(manifest)
                    .put("/v2/{n}/manifests/{d}?tag={a}&tag={b}", repo, digest, a, b)
                    .then().statusCode(201).header("Docker-Content-Digest", digest).header("OCI-Tag", a + ", " + b);
            for (String tag : new String[]{a, b}) {
                byte[] pulled = given().get("/v2/{n}/manifests/{t}", repo, tag).then().statusCode(200).extract().asByteArray();
                assertArrayEquals(manifest, pulled, tag);
            }
        }
        given().contentType(OCI_MANIFEST).body(manifest).put("/v2/{n}/manifests/{d}?tag=-bad", repo, digest(manifest))
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
    }

    @Test
    void aDescriptorWhoseSizeDiffersFromItsBlobIsRefused() {
        String repo = repo();
        byte[] layer = Oci.random(4096);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Oci.pushBlob(repo, layer);
        Oci.pushBlob(repo, config);
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + Oci.descriptor(Oci.CONFIG, config)
                + ",\"layers\":[{\"mediaType\":\"" + Oci.LAYER + "\",\"digest\":\"" + digest(layer) + "\",\"size\":1}]}";
        Response refused = putManifest(repo, "v1", OCI_MANIFEST, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, refused.statusCode());
        assertEquals("MANIFEST_INVALID", Oci.errorCode(refused));
        assertEquals(List.of(Map.of("digest", digest(layer), "declared", 1, "size", 4096)),
                refused.jsonPath().getList("errors[0].detail.blobs"));
        given().get("/v2/{n}/manifests/v1", repo).then().statusCode(404);
    }

    @Test
    void pushByTagThenPullByTagAndDigest() {
        String repo = repo();
        byte[] manifest = Oci.imageManifest(repo, 2, null);
        String digest = digest(manifest);
        putManifest(repo, "v1", OCI_MANIFEST, manifest).then().statusCode(201)
                .header("Docker-Content-Digest", digest).header("Location", "/v2/" + repo + "/manifests/" + digest);
        for (String ref : new String[]{"v1", digest}) {
            byte[] pulled = given().accept(OCI_MANIFEST).get("/v2/{n}/manifests/{r}", repo, ref).then().statusCode(200)
                    .contentType(OCI_MANIFEST).header("Docker-Content-Digest", digest)
                    .header("Content-Length", String.valueOf(manifest.length)).extract().asByteArray();
            assertArrayEquals(manifest, pulled);
            given().head("/v2/{n}/manifests/{r}", repo, ref).then().statusCode(200)
                    .header("Content-Length", String.valueOf(manifest.length)).header("Docker-Content-Digest", digest);
        }
    }

    @Test
    void pushByDigestAndDigestMismatch() {
        String repo = repo();
        byte[] manifest = Oci.imageManifest(repo, 1, null);
        putManifest(repo, digest(manifest), OCI_MANIFEST, manifest).then().statusCode(201);
        given().get("/v2/{n}/manifests/{r}", repo, digest(manifest)).then().statusCode(200);
        Response wrong = putManifest(repo, digest("other".getBytes()), OCI_MANIFEST, manifest);
        assertEquals(400, wrong.statusCode());
        assertEquals("DIGEST_INVALID", Oci.errorCode(wrong));
    }

    @Test
    void referencedBlobsMustExistInTheRepository() {
        String repo = repo();
        byte[] config = "{}".getBytes();
        Oci.pushBlob(repo, config);
        byte[] missingLayer = Oci.random(100);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + Oci.descriptor(Oci.CONFIG, config) + ",\"layers\":[" + Oci.descriptor(Oci.LAYER, missingLayer) + "]}").getBytes();
        Response r = putManifest(repo, "t", OCI_MANIFEST, manifest);
        assertEquals(400, r.statusCode());
        assertEquals("MANIFEST_BLOB_UNKNOWN", Oci.errorCode(r));
        // a blob in another repository does not count
        Oci.pushBlob(repo(), missingLayer);
        assertEquals(400, putManifest(repo, "t", OCI_MANIFEST, manifest).statusCode());
        given().get("/v2/{n}/manifests/t", repo).then().statusCode(404);
    }

    @Test
    void indexNeedsItsChildManifests() {
        String repo = repo();
        String child = Oci.pushImage(repo, "amd64");
        byte[] childBytes = given().get("/v2/{n}/manifests/{d}", repo, child).asByteArray();
        String absent = digest("not pushed".getBytes());
        byte[] bad = index(childBytes.length, child, absent);
        Response r = putManifest(repo, "multi", OCI_INDEX, bad);
        assertEquals(400, r.statusCode());
        assertEquals("MANIFEST_UNKNOWN", Oci.errorCode(r));
        byte[] good = index(childBytes.length, child, null);
        putManifest(repo, "multi", OCI_INDEX, good).then().statusCode(201);
        given().get("/v2/{n}/manifests/multi", repo).then().statusCode(200).contentType(OCI_INDEX);
    }

    @Test
    void dockerSchema2ManifestAndManifestList() {
        String repo = repo();
        byte[] config = Oci.random(50);
        byte[] layer = Oci.random(60);
        Oci.pushBlob(repo, config);
        Oci.pushBlob(repo, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_MANIFEST + "\",\"config\":"
                + Oci.descriptor("application/vnd.docker.container.image.v1+json", config) + ",\"layers\":["
                + Oci.descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layer) + "]}").getBytes();
        putManifest(repo, "docker", DOCKER_MANIFEST, manifest).then().statusCode(201);
        given().get("/v2/{n}/manifests/docker", repo).then().statusCode(200).contentType(DOCKER_MANIFEST);
        byte[] list = ("{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_LIST + "\",\"manifests\":[{\"mediaType\":\""
                + DOCKER_MANIFEST + "\",\"digest\":\"" + digest(manifest) + "\",\"size\":" + manifest.length
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}").getBytes();
        putManifest(repo, "list", DOCKER_LIST, list).then().statusCode(201);
        given().get("/v2/{n}/manifests/list", repo).then().statusCode(200).contentType(DOCKER_LIST);
    }

    @Test
    void invalidManifestsAreRefusedWithManifestInvalid() {
        String repo = repo();
        byte[] valid = Oci.imageManifest(repo, 1, null);
        assertInvalid(putManifest(repo, "a", OCI_MANIFEST, "not json".getBytes()));
        assertInvalid(putManifest(repo, "a", OCI_MANIFEST, "[1,2]".getBytes()));
        assertInvalid(putManifest(repo, "a", OCI_MANIFEST, "{\"schemaVersion\":1}".getBytes()));
        assertInvalid(putManifest(repo, "a", OCI_INDEX, valid)); // mediaType field disagrees with Content-Type
        assertInvalid(putManifest(repo, "a", "application/vnd.example.unknown+json",
                "{\"schemaVersion\":2}".getBytes()));
        assertInvalid(putManifest(repo, "a", OCI_MANIFEST, ("{\"schemaVersion\":2,\"config\":{\"digest\":\"x\"},\"layers\":[]}").getBytes()), "DIGEST_INVALID");
        assertInvalid(putManifest(repo, "-bad-tag", OCI_MANIFEST, valid));
        assertInvalid(putManifest(repo, "x".repeat(129), OCI_MANIFEST, valid));
    }

    @Test
    void oversizedManifestIs413() {
        String repo = repo();
        byte[] huge = new byte[4 * 1024 * 1024 + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        Response r = putManifest(repo, "big", OCI_MANIFEST, huge);
        assertEquals(413, r.statusCode());
        assertEquals("SIZE_INVALID", Oci.errorCode(r));
    }

    @Test
    void largeManifestRoundTripsWhole() {
        String repo = repo();
        String annotation = "x".repeat(200_000); // far past the 32 KB that once truncated manifests silently
        byte[] manifest = Oci.imageManifest(repo, 3, "\"annotations\":{\"big\":\"" + annotation + "\"}");
        putManifest(repo, "big", OCI_MANIFEST, manifest).then().statusCode(201);
        assertArrayEquals(manifest, given().get("/v2/{n}/manifests/big", repo).asByteArray());
    }

    @Test
    void subjectIsAnsweredWithOciSubject() {
        String repo = repo();
        String subject = Oci.pushImage(repo, "base");
        byte[] subjectBytes = given().get("/v2/{n}/manifests/base", repo).asByteArray();
        byte[] referrer = Oci.imageManifest(repo, 1, "\"subject\":{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\""
                + subject + "\",\"size\":" + subjectBytes.length + "}");
        putManifest(repo, digest(referrer), OCI_MANIFEST, referrer).then().statusCode(201).header("OCI-Subject", subject);
    }

    @Test
    void deleteByTagKeepsTheManifestAndDeleteByDigestRemovesItsTags() {
        String repo = repo();
        String digest = Oci.pushImage(repo, "one");
        given().contentType(OCI_MANIFEST).body(given().get("/v2/{n}/manifests/one", repo).asByteArray())
                .put("/v2/{n}/manifests/two", repo).then().statusCode(201);
        given().delete("/v2/{n}/manifests/one", repo).then().statusCode(202);
        given().get("/v2/{n}/manifests/one", repo).then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        given().get("/v2/{n}/manifests/two", repo).then().statusCode(200);
        given().delete("/v2/{n}/manifests/{d}", repo, digest).then().statusCode(202);
        given().get("/v2/{n}/manifests/two", repo).then().statusCode(404);
        given().get("/v2/{n}/manifests/{d}", repo, digest).then().statusCode(404);
        given().delete("/v2/{n}/manifests/{d}", repo, digest).then().statusCode(404);
    }

    @Test
    void unknownRepositoryVersusUnknownManifest() {
        given().get("/v2/{n}/manifests/latest", "no/such/repo").then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
        String repo = repo();
        Oci.pushImage(repo, "x");
        given().get("/v2/{n}/manifests/latest", repo).then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        // neither a tag nor a digest: nothing by that name, so not found (the spec's rule for GET/HEAD; a PUT of it is 400)
        given().get("/v2/{n}/manifests/{d}", repo, "sha256:zzz").then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
    }

    @Test
    void malformedNamesAndUnknownEndpoints() {
        given().get("/v2/UPPER/manifests/latest").then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
        given().get("/v2/a/-b/manifests/latest").then().statusCode(400).body("errors[0].code", equalTo("NAME_INVALID"));
        given().get("/v2/a/b/whatever").then().statusCode(404);
        given().post("/v2/a/manifests/latest").then().statusCode(405).body("errors[0].code", equalTo("UNSUPPORTED"));
    }

    @Test
    void truncatedManifestRowIsRefusedAndReported() throws Exception {
        String repo = repo();
        String digest = Oci.pushImage(repo, "victim");
        double failuresBefore = integrityFailures();
        try (Connection c = PostgresTestResource.server.superuserConnection("regfleet");
             PreparedStatement s = c.prepareStatement("""
                     UPDATE manifest SET content = substring(content FROM 1 FOR 40), size = 40
                     WHERE digest = ? AND repository_id = (SELECT id FROM repository WHERE name = ?)""")) {
            s.setString(1, digest);
            s.setString(2, repo);
            assertEquals(1, s.executeUpdate());
        }
        // SQL typed by hand announces nothing, and the pod's cache holds the bytes it verified at the push: the
        // corruption is what a pod reads once its cache is cold (a restart), as here
        io.quarkus.arc.Arc.container().instance(MetadataCache.class).get().forgetEverything();
        for (String ref : new String[]{"victim", digest}) {
            Response r = given().get("/v2/{n}/manifests/{r}", repo, ref);
            assertEquals(500, r.statusCode());
            assertEquals("INTEGRITY", Oci.errorCode(r));
            assertEquals(digest, r.jsonPath().getString("errors[0].detail.digest"), "the error names the digest");
            assertEquals(false, r.asString().contains("schemaVersion"), "the truncated bytes must not be served");
        }
        assertEquals(failuresBefore + 2, integrityFailures(), "each refused read is counted");
        org.junit.jupiter.api.Assertions.assertTrue(metrics().lines().noneMatch(l -> l.contains(digest)),
                "no metric is labelled by digest (an unbounded label)");
    }

    /** The integrity counter's value; 0 before the first failure registers it. */
    private static double integrityFailures() {
        return metrics().lines().filter(l -> l.startsWith("regfleet_manifest_integrity_failures_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String metrics() {
        return given().port(managementPort()).get("/q/metrics").asString();
    }

    static int managementPort() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.management.test-port", Integer.class);
    }

    private static byte[] index(int childSize, String child, String absent) {
        String entries = "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + child + "\",\"size\":" + childSize + "}"
                + (absent == null ? "" : ",{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + absent + "\",\"size\":10}");
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[" + entries + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void assertInvalid(Response r) {
        assertInvalid(r, "MANIFEST_INVALID");
    }

    private static void assertInvalid(Response r, String code) {
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(code, Oci.errorCode(r));
    }
}
