package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.http.RawHttp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static io.regfleet.registry.api.Oci.random;
import static io.regfleet.registry.api.Oci.repo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replies as bytes on the wire: what a keep-alive client reads, and the HTTP parser's own refusals. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class HttpHardeningApiTest extends ApiTestBase {

    /** The 416 once declared Content-Length 0 and then sent a JSON body: the next response on the connection broke. */
    @Test
    void anOutOfOrderChunkIsAnsweredWithExactlyTheBytesItDeclares() throws IOException {
        String location = Oci.startUpload(repo());
        byte[] chunk = random(1024);
        RawHttp.Response reply = RawHttp.exchange(apiPort0(), RawHttp.request("""
                PATCH %s HTTP/1.1
                Host: registry
                Content-Range: 1024-2047
                Content-Type: application/octet-stream
                Content-Length: 1024
                """.formatted(location), chunk), 500);
        assertEquals(416, reply.status());
        assertEquals("0-0", reply.header("Range"), "the session stays at 0 bytes");
        assertOciError(reply, "BLOB_UPLOAD_INVALID");
        assertEquals(0, reply.trailing().length, "bytes after the declared body: " + new String(reply.trailing(), StandardCharsets.UTF_8));
    }

    @Test
    void keepAliveRepliesFollowEachOtherCleanly() throws IOException {
        String location = Oci.startUpload(repo());
        byte[] twoRequests = (("GET %s HTTP/1.1\r\nHost: r\r\n\r\n".formatted(location))
                + "GET /v2/ HTTP/1.1\r\nHost: r\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response first = RawHttp.exchange(apiPort0(), twoRequests, 2000);
        assertEquals(204, first.status());
        String rest = new String(first.trailing(), StandardCharsets.ISO_8859_1);
        assertTrue(rest.startsWith("HTTP/1.1 200 "), "the second response starts right after the first: " + rest);
    }

    @Test
    void aNulByteInAQueryParameterIsTheClientsError() {
        String repo = repo();
        Oci.pushImage(repo, "v1");
        for (String path : new String[]{"/v2/_catalog?last=%00", "/v2/" + repo + "/tags/list?last=%00",
                "/v2/" + repo + "/referrers/sha256:" + "a".repeat(64) + "?artifactType=%00"}) {
            var response = given().get(path);
            assertEquals(400, response.statusCode(), path);
            assertEquals("REQUEST_INVALID", Oci.errorCode(response), path);
        }
    }

    @Test
    void aMalformedPercentEncodingIsTheClientsError() throws IOException {
        assertOciError(raw("GET /v2/_catalog?n=1&last=%zz HTTP/1.1\nHost: r\nConnection: close\n"), 400, "REQUEST_INVALID");
    }

    @Test
    void pathsOutsideTheApiGetTheOciErrorBody() throws IOException {
        assertOciError(raw("GET /v2/../x/manifests/y HTTP/1.1\nHost: r\nConnection: close\n"), 400, "NAME_INVALID");
        assertOciError(raw("GET /v2/%2e%2e/x/manifests/y HTTP/1.1\nHost: r\nConnection: close\n"), 400, "NAME_INVALID");
        assertOciError(raw("GET /index.html HTTP/1.1\nHost: r\nConnection: close\n"), 404, "NAME_UNKNOWN");
    }

    @Test
    void theHttpParsersRefusalsGetTheOciErrorBody() throws IOException {
        assertOciError(raw("GET /v2/a b/manifests/x HTTP/1.1\nHost: r\n"), 400, "REQUEST_INVALID");
        assertOciError(raw("GET /v2/caf\u00e9/manifests/x HTTP/1.1\nHost: r\n"), 400, null);
        assertOciError(raw("GET /v2/_catalog?last=" + "a".repeat(10_000) + " HTTP/1.1\nHost: r\n"), 414, "REQUEST_INVALID");
        assertOciError(raw("GET /v2/ HTTP/1.1\nHost: r\nX-Big: " + "a".repeat(100_000) + "\n"), 431, "REQUEST_INVALID");
    }

    @Test
    void aReferenceThatIsNeitherTagNorDigestIsNotFoundOnReadsButInvalidOnPush() {
        String repo = repo();
        Oci.pushImage(repo, "v1");
        for (String ref : new String[]{"bad:ref:@", "-dash", "sha256:short"}) {
            var get = given().get("/v2/{n}/manifests/{r}", repo, ref);
            assertEquals(404, get.statusCode(), ref);
            assertEquals("MANIFEST_UNKNOWN", Oci.errorCode(get), ref);
            given().head("/v2/{n}/manifests/{r}", repo, ref).then().statusCode(404);
        }
        given().contentType(Oci.OCI_MANIFEST).body("{}").put("/v2/{n}/manifests/{r}", repo, "-dash").then().statusCode(400);
    }

    private RawHttp.Response raw(String head) throws IOException {
        return RawHttp.exchange(apiPort0(), RawHttp.request(head, new byte[0]), 500);
    }

    private static void assertOciError(RawHttp.Response reply, int status, String code) {
        assertEquals(status, reply.status(), reply.bodyText());
        assertOciError(reply, code);
    }

    /** The OCI error body: JSON with errors[0].code, exactly as long as declared. */
    private static void assertOciError(RawHttp.Response reply, String code) {
        assertEquals("application/json", reply.header("Content-Type"));
        assertEquals(Integer.parseInt(reply.header("Content-Length")), reply.body().length);
        String body = reply.bodyText();
        assertTrue(body.startsWith("{\"errors\":[{\"code\":\"" + (code == null ? "" : code)), body);
    }
}
