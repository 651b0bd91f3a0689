package io.regfleet.e2e;

import io.regfleet.dev.RegistryProcess;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica killed (SIGKILL) in the middle of a chunk, while it holds the upload's write lease: the upload resumes on
 * another replica once the dead writer's lease lapses (it is no longer renewed), and completes byte-identical.
 */
class UploadResumeAfterCrashTest extends ReplicaPairTest {
    private static final int CHUNK = 1024 * 1024;
    /** Short, so the test does not wait long; production's default is 15 s. */
    private static final String LEASE = "4S";

    @Override
    protected String registryName() {
        return "resume";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("regfleet.upload.lease", LEASE);
    }

    @Test
    void anUploadWhoseWriterWasKilledResumesOnAnotherReplica() throws Exception {
        byte[] blob = new byte[3 * CHUNK];
        ThreadLocalRandom.current().nextBytes(blob);
        HttpResponse<byte[]> started = Http.send("POST", a.url() + "/v2/e2e/resume/blobs/uploads/", null);
        assertEquals(202, started.statusCode());
        String path = started.headers().firstValue("Location").orElseThrow();
        String id = path.substring(path.lastIndexOf('/') + 1);
        assertEquals(202, patch(a, path, blob, 0).statusCode());

        try (Socket stalled = new Socket("127.0.0.1", a.port())) { // the second chunk, half sent, then the writer dies
            OutputStream out = stalled.getOutputStream();
            out.write(("PATCH " + path + " HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Range: " + CHUNK + "-" + (2 * CHUNK - 1) + "\r\nContent-Length: " + CHUNK + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(blob, CHUNK, CHUNK / 2);
            out.flush();
            awaitLease(id);
            a.kill();
        }

        HttpResponse<byte[]> status = Http.send("GET", Http.absolute(b.url(), path), null);
        assertEquals(204, status.statusCode());
        assertEquals("0-" + (CHUNK - 1), status.headers().firstValue("Range").orElseThrow(), "the half chunk was not recorded");

        int held = 0;
        HttpResponse<byte[]> resumed;
        while ((resumed = patch(b, path, blob, CHUNK)).statusCode() == 503) { // the dead writer's lease, until it lapses
            held++;
            assertTrue(held < 120, "the dead writer's lease never lapsed");
            Thread.sleep(1000L * Integer.parseInt(resumed.headers().firstValue("Retry-After").orElse("1")));
        }
        assertEquals(202, resumed.statusCode(), new String(resumed.body(), StandardCharsets.UTF_8));
        System.out.printf("FIGURE upload-resume: writer killed mid-chunk; resumed on the other replica after %d refusals "
                + "(503, Retry-After) with a %s lease%n", held, LEASE);

        HttpResponse<byte[]> done = Http.send("PUT", Http.absolute(b.url(), path) + "?digest=" + Http.sha256(blob),
                Arrays.copyOfRange(blob, 2 * CHUNK, blob.length), "Content-Type", "application/octet-stream",
                "Content-Range", 2 * CHUNK + "-" + (blob.length - 1));
        assertEquals(201, done.statusCode(), new String(done.body(), StandardCharsets.UTF_8));
        assertArrayEquals(blob, Http.send("GET", b.url() + "/v2/e2e/resume/blobs/" + Http.sha256(blob), null).body());
    }

    private static HttpResponse<byte[]> patch(RegistryProcess replica, String path, byte[] blob, int offset) {
        return Http.send("PATCH", Http.absolute(replica.url(), path), Arrays.copyOfRange(blob, offset, offset + CHUNK),
                "Content-Range", offset + "-" + (offset + CHUNK - 1), "Content-Type", "application/octet-stream");
    }

    /** Waits until the replica has taken the write lease for the half-sent chunk (it streams under it). */
    private void awaitLease(String id) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Connection c = postgres.superuserConnection("regfleet");
                 PreparedStatement s = c.prepareStatement("SELECT lease_owner FROM upload WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the replica never took the upload's lease");
    }
}
