package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.dev.oci.OciLayoutBuilder;
import io.regfleet.dev.oci.Skopeo;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.S3TestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.regfleet.dev.oci.OciLayoutBuilder.KIB;
import static io.regfleet.dev.oci.OciLayoutBuilder.MIB;
import static io.regfleet.registry.api.Oci.random;
import static io.regfleet.registry.api.Oci.repo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code regfleet.storage.s3.redirect} on, a blob GET answers 307 to a presigned URL of S3Proxy (a real S3 API,
 * child process) that serves the bytes, whole and in ranges; a HEAD still answers from the metadata; skopeo pulls
 * through it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(value = S3TestResource.class, restrictToAnnotatedClass = true)
@TestProfile(S3RedirectApiTest.RedirectOn.class)
class S3RedirectApiTest extends ApiTestBase {
    private static final HttpClient NO_FOLLOW = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final HttpClient FOLLOW = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    public static class RedirectOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("regfleet.storage.s3.redirect", "true", "regfleet.storage.s3.redirect-expiry", "2M");
        }
    }

    @Test
    void aBlobGetRedirectsToAPresignedUrlThatServesTheBytesWholeAndInRanges() throws Exception {
        String repo = repo();
        byte[] blob = random(300_000);
        String digest = Oci.pushBlob(repo, blob);
        given().head("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(200)
                .header("Content-Length", String.valueOf(blob.length)).header("Docker-Content-Digest", digest);

        HttpResponse<byte[]> redirect = NO_FOLLOW.send(get(blobUrl(repo, digest), null), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(307, redirect.statusCode());
        assertEquals(digest, redirect.headers().firstValue("Docker-Content-Digest").orElseThrow());
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertTrue(location.getRawQuery().contains("X-Amz-Signature="), "a presigned URL: " + location.getHost());

        HttpResponse<byte[]> whole = NO_FOLLOW.send(get(location, null), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, whole.statusCode());
        assertEquals(digest, Oci.digest(whole.body()), "the redirect's target serves the pushed bytes");

        HttpResponse<byte[]> ranged = FOLLOW.send(get(blobUrl(repo, digest), "bytes=1000-70999"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, ranged.statusCode(), "the Range goes with the client to the target");
        assertArrayEquals(Arrays.copyOfRange(blob, 1000, 71_000), ranged.body());
    }

    @Test
    void aBlobTheRepositoryDoesNotHoldIsRefusedBeforeAnyRedirect() {
        String repo = repo();
        String other = Oci.pushBlob(repo(), random(1000));
        given().redirects().follow(false).get("/v2/{n}/blobs/{d}", repo, other).then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UNKNOWN"));
    }

    @Test
    void skopeoPullsAnImageThroughTheRedirects(@TempDir Path work) throws IOException {
        Path layout = work.resolve("src");
        OciLayoutBuilder.create(layout).image("v1", 64 * KIB, 2 * MIB);
        String target = "docker://127.0.0.1:" + apiPort0() + "/" + repo() + ":v1";
        Skopeo.run(work, "copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":v1", target);
        double redirectsBefore = redirectedBlobGets();

        Path back = work.resolve("back");
        Skopeo.run(work, "copy", "--preserve-digests", "--src-tls-verify=false", target, "oci:" + back + ":v1");

        assertTrue(redirectedBlobGets() >= redirectsBefore + 3, "the config and both layers came from S3");
        List<Path> pulled;
        try (Stream<Path> files = Files.list(back.resolve("blobs/sha256"))) {
            pulled = files.toList();
        }
        assertFalse(pulled.isEmpty());
        for (Path blob : pulled) { // each pulled file is named by its digest: check it against its bytes
            assertEquals("sha256:" + blob.getFileName(), Oci.digest(Files.readAllBytes(blob)));
            assertTrue(Files.exists(layout.resolve("blobs/sha256").resolve(blob.getFileName())), "not pushed: " + blob);
        }
    }

    private static URI blobUrl(String repo, String digest) {
        return URI.create("http://127.0.0.1:" + apiPort0() + "/v2/" + repo + "/blobs/" + digest);
    }

    private static HttpRequest get(URI uri, String range) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        return (range == null ? request : request.header("Range", range)).build();
    }

    private static double redirectedBlobGets() {
        return given().port(ManifestApiTest.managementPort()).get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("regfleet_http_server_requests_seconds_count") && l.contains("method=\"GET\"")
                        && l.contains("status=\"307\"") && l.contains("blobs"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
