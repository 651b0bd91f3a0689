package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.arc.Arc;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.blob.BlobContent;
import io.regfleet.registry.service.BlobService;
import io.regfleet.registry.oci.Digest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.regfleet.registry.api.Oci.random;
import static io.regfleet.registry.api.Oci.repo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blob reads verify what they serve: corrupt bytes end the response abnormally, then the blob is quarantined; a file
 * verified whole and not written since goes out zero-copy. The store is a real filesystem store on a temp folder.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class BlobIntegrityApiTest extends ApiTestBase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aFlippedByteIsNeverServedAsValidAndAPushHealsTheBlob() throws Exception {
        String repo = repo();
        byte[] blob = random(3 * 1024 * 1024);
        String digest = Oci.pushBlob(repo, blob);
        Path file = blobFile(digest);
        double failuresBefore = counter("regfleet_blob_integrity_failures_total");
        flipByte(file, blob.length / 2);

        assertThrows(IOException.class, () -> readAll(repo, digest),
                "the client must not receive the corrupt blob as a complete response");
        assertEquals(failuresBefore + 1, counter("regfleet_blob_integrity_failures_total"));

        awaitQuarantine(repo, digest);
        given().get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(404)
                .body("errors[0].code", org.hamcrest.Matchers.equalTo("BLOB_UNKNOWN"))
                .body("errors[0].message", containsString("quarantined"));
        assertFalse(Files.exists(file), "the corrupt bytes are gone from the store");

        Oci.pushBlob(repo, blob); // a client pushing it again heals it
        assertArrayEquals(blob, given().get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(200).extract().asByteArray());
    }

    @Test
    void aTruncatedBlobIsAnIntegrityErrorNotAnInternalOne() throws Exception {
        String repo = repo();
        byte[] blob = random(100_000);
        String digest = Oci.pushBlob(repo, blob);
        try (RandomAccessFile f = new RandomAccessFile(blobFile(digest).toFile(), "rw")) {
            f.setLength(blob.length / 2);
        }
        given().get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(500)
                .body("errors[0].code", org.hamcrest.Matchers.equalTo("INTEGRITY"));
        awaitQuarantine(repo, digest);
    }

    @Test
    void rangeReadsAndIntactBlobsAreServedAsStored() {
        String repo = repo();
        byte[] blob = random(200_000);
        String digest = Oci.pushBlob(repo, blob);
        assertArrayEquals(blob, given().get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(200).extract().asByteArray());
        byte[] part = given().header("Range", "bytes=100-199").get("/v2/{n}/blobs/{d}", repo, digest)
                .then().statusCode(206).extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(blob, 100, 200), part);
    }

    @Test
    void aVerifiedFileGoesOutZeroCopyWithTheRightBytesInFullAndInRanges() {
        String repo = repo();
        byte[] blob = random(1024 * 1024 + 7);
        String digest = Oci.pushBlob(repo, blob);
        assertInstanceOf(BlobContent.Stream.class, open(digest, blob.length), "the first whole read is hashed");
        assertArrayEquals(blob, getBlob(repo, digest, null, 200));
        assertInstanceOf(BlobContent.LocalFile.class, open(digest, blob.length), "verified and unchanged: sent as a file");

        assertArrayEquals(blob, getBlob(repo, digest, null, 200));
        assertArrayEquals(Arrays.copyOfRange(blob, 0, 1), getBlob(repo, digest, "bytes=0-0", 206));
        assertArrayEquals(Arrays.copyOfRange(blob, 65_536, 700_001), getBlob(repo, digest, "bytes=65536-700000", 206));
        assertArrayEquals(Arrays.copyOfRange(blob, blob.length - 100, blob.length),
                getBlob(repo, digest, "bytes=" + (blob.length - 100) + "-", 206));
        assertArrayEquals(blob, getBlob(repo, digest, "bytes=0-" + (blob.length - 1), 206));
    }

    @Test
    void aFileWrittenAfterItWasVerifiedIsHashedAgainAndQuarantined() throws Exception {
        String repo = repo();
        byte[] blob = random(512 * 1024);
        String digest = Oci.pushBlob(repo, blob);
        assertArrayEquals(blob, getBlob(repo, digest, null, 200));
        assertInstanceOf(BlobContent.LocalFile.class, open(digest, blob.length));

        flipByte(blobFile(digest), 1000);
        assertInstanceOf(BlobContent.Stream.class, open(digest, blob.length), "a write makes the file unverified");
        assertThrows(IOException.class, () -> readAll(repo, digest));
        awaitQuarantine(repo, digest);
    }

    /**
     * Completing a chunked upload reads nothing back on the replica that streamed it: each chunk was hashed once on
     * its way to the store. Proof: a byte changed on disk between chunks does not change the digest the PUT checks
     * (a re-read would see it and refuse the PUT); the first read of the blob verifies it and quarantines it.
     */
    @Test
    void chunksAreHashedAsTheyStreamAndNotReadBackToComplete() throws Exception {
        String repo = repo();
        byte[] blob = random(300_000);
        String location = Oci.startUpload(repo);
        Path upload = Path.of(ConfigProvider.getConfig().getValue("regfleet.storage.filesystem.root", String.class))
                .resolve("uploads").resolve(location.substring(location.lastIndexOf('/') + 1));
        for (int from = 0; from < blob.length; from += 100_000) {
            given().contentType("application/octet-stream").header("Content-Range", from + "-" + (from + 99_999))
                    .body(Arrays.copyOfRange(blob, from, from + 100_000)).patch(location).then().statusCode(202);
            if (from == 100_000) {
                flipByte(upload, 50_000); // behind the session's back, in a chunk already hashed
            }
        }
        String digest = Oci.digest(blob);
        given().put(location + "?digest=" + digest).then().statusCode(201);

        assertThrows(IOException.class, () -> readAll(repo, digest), "the stored bytes are not the pushed ones");
        awaitQuarantine(repo, digest);
    }

    private static BlobContent open(String digest, long size) {
        BlobContent content = Arc.container().instance(BlobService.class).get().open(Digest.parse(digest), 0, size, size);
        if (content instanceof BlobContent.Stream stream) {
            try (InputStream in = stream.input()) { // not read: a verified read's end is what vouches for a file
                return content;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return content;
    }

    private static byte[] getBlob(String repo, String digest, String range, int status) {
        var request = given();
        if (range != null) {
            request.header("Range", range);
        }
        return request.get("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(status).extract().asByteArray();
    }

    private static void readAll(String repo, String digest) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + apiPort0() + "/v2/" + repo + "/blobs/" + digest)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode(), "headers go out before the bytes are checked");
        try (InputStream in = response.body()) {
            in.readAllBytes();
        }
    }

    /** The quarantine follows a second read on its own thread: poll for it (a bound, not a timing assertion). */
    private static void awaitQuarantine(String repo, String digest) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (given().head("/v2/{n}/blobs/{d}", repo, digest).statusCode() == 404) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("blob " + digest + " was not quarantined");
    }

    private static Path blobFile(String digest) {
        Digest d = Digest.parse(digest);
        Path root = Path.of(ConfigProvider.getConfig().getValue("regfleet.storage.filesystem.root", String.class));
        Path file = root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex().substring(0, 2)).resolve(d.hex());
        assertTrue(Files.exists(file), file.toString());
        return file;
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    private static double counter(String name) {
        return given().port(ManifestApiTest.managementPort()).get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
