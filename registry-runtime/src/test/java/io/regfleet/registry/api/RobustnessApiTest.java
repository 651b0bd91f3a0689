package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regfleet.registry.Await;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.http.RawHttp;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The robustness suite: hundreds of generated malformed requests over every endpoint ({@link MalformedRequests}).
 * Every one is refused with a 4xx and the OCI error body (exactly as long as declared), none gets a 5xx, and none
 * changes what the registry holds: the catalog, the repository's tags, its manifest and the blob store's files.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RobustnessApiTest extends ApiTestBase {

    @Test
    void malformedRequestsAreRefusedWithAClientErrorAndChangeNothing() throws IOException {
        String repo = "robust/base";
        String manifestDigest = Oci.pushImage(repo, "v1");
        String blobDigest = Oci.pushBlob(repo, "abc".getBytes());
        String upload = Oci.startUpload(repo);
        MalformedRequests generated = new MalformedRequests(repo, "v1", manifestDigest, blobDigest, upload);
        State before = state(repo);

        List<String> failures = new ArrayList<>();
        Map<String, Integer> byCategory = new TreeMap<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<MalformedRequests.Request> requests = generated.all();
        for (MalformedRequests.Request request : requests) {
            RawHttp.Response reply = RawHttp.exchange(apiPort0(), request.bytes(), 200);
            byCategory.merge(request.category(), 1, Integer::sum);
            byStatus.merge(reply.status(), 1, Integer::sum);
            String problem = problem(request, reply);
            if (problem != null) {
                failures.add(request.category() + ": " + request.description() + " -> " + reply.status() + " " + problem);
            }
        }
        System.out.printf("ROBUSTNESS %d requests; by category %s; by status %s%n", requests.size(), byCategory, byStatus);

        assertTrue(failures.isEmpty(), failures.size() + " malformed requests were not refused cleanly:\n" + String.join("\n", failures));
        assertEquals(before, state(repo), "a malformed request changed what the registry holds");
        assertTrue(requests.size() >= 500, "at least 500 requests, generated " + requests.size());
        given().get("/v2/{n}/manifests/v1", repo).then().statusCode(200).header("Docker-Content-Digest", manifestDigest);
    }

    /** Null when the reply is a clean refusal: 4xx, OCI error JSON, body as long as declared, nothing after it. */
    private static String problem(MalformedRequests.Request request, RawHttp.Response reply) {
        if (reply.status() < 400 || reply.status() >= 500) {
            return "not a 4xx";
        }
        if (request.description().startsWith("HEAD ")) {
            return reply.body().length == 0 ? null : "a HEAD reply with a body";
        }
        if (!"application/json".equals(reply.header("Content-Type"))) {
            return "Content-Type " + reply.header("Content-Type");
        }
        String body = reply.bodyText();
        if (!body.startsWith("{\"errors\":[{\"code\":\"") || !body.endsWith("}]}") && !body.endsWith("}}]}")) {
            return "not an OCI error body: " + body;
        }
        if (reply.trailing().length > 0) {
            return reply.trailing().length + " bytes after the declared body";
        }
        return null;
    }

    /**
     * A client that leaves mid-pull frees the blob's stream and its worker at once: a closed connection never drains,
     * and the copy used to wait for that drain (holding the file open) until its idle timeout, past this test's
     * one-minute deadline. The first pull of a new blob is a verified stream (not sendfile), so it goes through that
     * copy.
     */
    @Test
    void aClientThatLeavesMidPullFreesTheBlobStream() throws Exception {
        String repo = Oci.repo();
        String digest = Oci.pushBlob(repo, Oci.random(32 << 20)); // far more than the socket buffers hold
        String hex = digest.substring(digest.indexOf(':') + 1);
        try (Socket socket = new Socket("127.0.0.1", apiPort0())) {
            socket.getOutputStream().write(("GET /v2/" + repo + "/blobs/" + digest + " HTTP/1.1\r\nHost: test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals(64 * 1024, socket.getInputStream().readNBytes(64 * 1024).length, "the blob is streaming");
            Await.until(() -> openFilesNaming(hex) > 0, "the blob's file is open while it streams");
        } // the client leaves with most of the blob unread
        Await.until(() -> openFilesNaming(hex) == 0, "the blob's file is closed once its client left");
        given().head("/v2/{n}/blobs/{d}", repo, digest).then().statusCode(200); // and the registry serves on
    }

    /** How many of this process's open files have {@code part} in their path. */
    private static long openFilesNaming(String part) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed while listed
                }
            }).filter(target -> target.contains(part)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record State(String catalog, String tags, String manifest, List<String> blobFiles) {
    }

    private static State state(String repo) throws IOException {
        Path root = Path.of(ConfigProvider.getConfig().getValue("regfleet.storage.filesystem.root", String.class), "blobs");
        List<String> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).map(p -> root.relativize(p) + ":" + p.toFile().length()).sorted().toList();
        }
        return new State(given().get("/v2/_catalog?n=100000").asString(), given().get("/v2/{n}/tags/list", repo).asString(),
                given().get("/v2/{n}/manifests/v1", repo).asString(), files);
    }
}
