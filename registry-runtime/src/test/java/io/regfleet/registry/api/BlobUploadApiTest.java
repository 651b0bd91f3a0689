package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regfleet.registry.PostgresTestResource;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.regfleet.registry.api.Oci.digest;
import static io.regfleet.registry.api.Oci.random;
import static io.regfleet.registry.api.Oci.repo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class BlobUploadApiTest extends ApiTestBase {
    private static final String OCTETS = "application/octet-stream";

    @Test
    void baseEndpointAnswersWithTheApiVersion() {
        given().get("/v2/").then().statusCode(200).header("Docker-Distribution-API-Version", "registry/2.0");
    }

    @Test
    void monolithicPushThenPullIsByteIdentical() {
        String repo = repo();
        byte[] blob = random(300_000);
        String digest = Oci.pushBlob(repo, blob);
        given().head("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(200)
                .header("Content-Length", "300000").header("Docker-Content-Digest", digest);
        byte[] pulled = given().get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(blob, pulled);
    }

    @Test
    void postThenPutWithTheWholeBody() {
        Session upload = Session.opened(10_000);
        given().contentType(OCTETS).body(upload.blob()).put(upload.completion())
                .then().statusCode(201).header("Location", "/v2/" + upload.repo() + "/blobs/" + digest(upload.blob()));
        upload.assertPullsBack();
    }

    @Test
    void streamedPatchThenEmptyPut() {
        Session upload = Session.opened(50_000);
        given().contentType(OCTETS).body(upload.blob()).patch(upload.location())
                .then().statusCode(202).header("Range", "0-49999");
        given().put(upload.completion()).then().statusCode(201);
        upload.assertPullsBack();
    }

    @Test
    void chunkedPatchesWithContentRangeAndAFinalChunkOnPut() {
        Session upload = Session.opened(30_000);
        upload.patch(0, 10_000).then().statusCode(202).header("Range", "0-9999");
        upload.patch(10_000, 20_000).then().statusCode(202).header("Range", "0-19999");
        given().contentType(OCTETS).header("Content-Range", "20000-29999")
                .body(Arrays.copyOfRange(upload.blob(), 20_000, 30_000)).put(upload.completion())
                .then().statusCode(201);
        upload.assertPullsBack();
    }

    @Test
    void outOfOrderOrOverlappingChunkGets416AndTheSessionSurvives() {
        Session upload = Session.opened(30_000);
        upload.patch(0, 10_000).then().statusCode(202);
        // a gap
        upload.patch(20_000, 30_000).then().statusCode(416).header("Range", "0-9999")
                .header("Location", startsWith("/v2/" + upload.repo() + "/blobs/uploads/"));
        // an overlap
        upload.patch(5_000, 15_000).then().statusCode(416).header("Range", "0-9999");
        // a malformed range
        given().contentType(OCTETS).header("Content-Range", "bytes=oops").body(new byte[10])
                .patch(upload.location()).then().statusCode(416);
        // the session is still there, where it was
        given().get(upload.location()).then().statusCode(204).header("Range", "0-9999").header("Location", startsWith("/v2/"));
        upload.patch(10_000, 30_000).then().statusCode(202).header("Range", "0-29999");
        given().put(upload.completion()).then().statusCode(201);
        upload.assertPullsBack();
    }

    @Test
    void contentRangeThatDisagreesWithContentLengthIs416() {
        String location = Oci.startUpload(repo());
        given().contentType(OCTETS).header("Content-Range", "0-99").body(new byte[50])
                .patch(location).then().statusCode(416);
        given().get(location).then().statusCode(204).header("Range", "0-0");
    }

    @Test
    void wrongDigestIsRefusedAndLeavesNothingVisible() {
        String repo = repo();
        byte[] blob = random(5_000);
        String wrong = digest(random(10));
        Response r = given().contentType(OCTETS).body(blob)
                .post("/v2/{n}/blobs/uploads/?digest={d}", repo, wrong);
        assertEquals(400, r.statusCode());
        assertEquals("DIGEST_INVALID", Oci.errorCode(r));
        given().head("/v2/{n}/blobs/{d}", repo, wrong).then().statusCode(404);
        given().head("/v2/{n}/blobs/{d}", repo, digest(blob)).then().statusCode(404);

        String location = Oci.startUpload(repo);
        given().contentType(OCTETS).body(blob).patch(location).then().statusCode(202);
        given().put(location + "?digest=" + wrong).then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        given().get(location).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
    }

    @Test
    void malformedOrUnsupportedDigestsAre400NeverA500() {
        String repo = repo();
        for (String bad : new String[]{"sha256:xyz", "nonsense", "md5:d41d8cd98f00b204e9800998ecf8427e", "sha256:" + "A".repeat(64)}) {
            given().get("/v2/{n}/blobs/{d}", repo, bad).then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
            given().body(new byte[1]).post("/v2/{n}/blobs/uploads/?digest={d}", repo, bad).then().statusCode(400);
        }
        String location = Oci.startUpload(repo);
        given().put(location).then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
    }

    @Test
    void cancelledUploadIsGone() {
        String location = Oci.startUpload(repo());
        given().body(random(100)).contentType(OCTETS).patch(location).then().statusCode(202);
        given().delete(location).then().statusCode(204);
        given().get(location).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
        given().delete(location).then().statusCode(404);
    }

    @Test
    void unknownOrMalformedSessionIs404() {
        String repo = repo();
        given().get("/v2/{n}/blobs/uploads/{id}", repo, "no-such-session").then().statusCode(404);
        given().get("/v2/{n}/blobs/uploads/{id}", repo, "..%2F..%2Fetc").then().statusCode(404);
    }

    @Test
    void rangeRequestsAnswer206AndUnsatisfiableRangesAnswer416() {
        String repo = repo();
        byte[] blob = random(1_000);
        String digest = Oci.pushBlob(repo, blob);
        byte[] part = given().header("Range", "bytes=100-199").get("/v2/{n}/blobs/{d}", repo, digest)
                .then().statusCode(206).header("Content-Range", "bytes 100-199/1000").header("Content-Length", "100")
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(blob, 100, 200), part);
        byte[] tail = given().header("Range", "bytes=-10").get("/v2/{n}/blobs/{d}", repo, digest)
                .then().statusCode(206).extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(blob, 990, 1000), tail);
        byte[] open = given().header("Range", "bytes=900-").get("/v2/{n}/blobs/{d}", repo, digest)
                .then().statusCode(206).extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(blob, 900, 1000), open);
        given().header("Range", "bytes=5000-6000").get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(416);
    }

    @Test
    void crossRepositoryMountAndItsFallback() {
        String source = repo();
        String target = repo();
        byte[] blob = random(2_000);
        String digest = Oci.pushBlob(source, blob);
        given().post("/v2/{n}/blobs/uploads/?mount={d}&from={f}", target, digest, source)
                .then().statusCode(201).header("Location", "/v2/" + target + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
        assertPullsBack(target, blob);
        // not in the source repository: a normal upload session instead
        String absent = digest(random(10));
        given().post("/v2/{n}/blobs/uploads/?mount={d}&from={f}", repo(), absent, source)
                .then().statusCode(202).header("Location", startsWith("/v2/"));
        // from a repository that does not exist, or a malformed digest: the same fallback
        given().post("/v2/{n}/blobs/uploads/?mount={d}&from={f}", repo(), digest, "no/such/repo").then().statusCode(202);
        given().post("/v2/{n}/blobs/uploads/?mount={d}&from={f}", repo(), "sha256:bad", source).then().statusCode(202);
    }

    @Test
    void blobsAreScopedToTheirRepositoryAndCanBeDeleted() {
        String repo = repo();
        byte[] blob = random(500);
        String digest = Oci.pushBlob(repo, blob);
        given().head("/v2/{n}/blobs/{d}", repo(), digest).then().statusCode(404);
        given().delete("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(202);
        given().get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UNKNOWN"));
        given().delete("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(404);
    }

    @Test
    void emptyBlob() {
        String repo = repo();
        String digest = Oci.pushBlob(repo, new byte[0]);
        given().get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(200).header("Content-Length", "0");
    }

    /** The blob pulls back from {@code repo}, byte for byte. */
    private static void assertPullsBack(String repo, byte[] blob) {
        assertArrayEquals(blob, given().get("/v2/{n}/blobs/{d}", repo, digest(blob)).asByteArray());
    }

    /** An upload session opened in a fresh repository, for a blob of random bytes. */
    private record Session(String repo, byte[] blob, String location) {
        static Session opened(int size) {
            String repo = Oci.repo();
            return new Session(repo, random(size), Oci.startUpload(repo));
        }

        /** Where the PUT that completes the upload goes. */
        String completion() {
            return location + "?digest=" + digest(blob);
        }

        /** A PATCH of the blob's bytes {@code [from, to)} with their Content-Range. */
        Response patch(int from, int to) {
            return given().contentType(OCTETS).header("Content-Range", from + "-" + (to - 1))
                    .body(Arrays.copyOfRange(blob, from, to)).patch(location);
        }

        void assertPullsBack() {
            BlobUploadApiTest.assertPullsBack(repo, blob);
        }
    }
}
