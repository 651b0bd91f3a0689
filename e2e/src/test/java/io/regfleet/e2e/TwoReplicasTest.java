package io.regfleet.e2e;

import io.regfleet.dev.RegistryProcess;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two registry JVMs on one PostgreSQL and one blob store: nothing lives in one replica's memory. */
class TwoReplicasTest extends ReplicaPairTest {

    @Override
    protected String registryName() {
        return "two";
    }

    @Test
    void chunkedUploadBegunOnOneReplicaIsFinishedOnTheOther() {
        byte[] blob = new byte[3 * 1024 * 1024 + 17];
        ThreadLocalRandom.current().nextBytes(blob);
        String digest = Http.sha256(blob);

        HttpResponse<byte[]> started = Http.send("POST", a.url() + "/v2/e2e/chunks/blobs/uploads/", null);
        assertEquals(202, started.statusCode());
        String path = started.headers().firstValue("Location").orElseThrow();

        int split = 1024 * 1024;
        assertEquals(202, Http.send("PATCH", Http.absolute(a.url(), path), Arrays.copyOfRange(blob, 0, split),
                "Content-Range", "0-" + (split - 1), "Content-Type", "application/octet-stream").statusCode());
        HttpResponse<byte[]> second = Http.send("PATCH", Http.absolute(b.url(), path), Arrays.copyOfRange(blob, split, 2 * split),
                "Content-Range", split + "-" + (2 * split - 1), "Content-Type", "application/octet-stream");
        assertEquals(202, second.statusCode());
        assertEquals("0-" + (2 * split - 1), second.headers().firstValue("Range").orElseThrow());
        // a stale chunk on the first replica is refused there too: the session's state is shared
        assertEquals(416, Http.send("PATCH", Http.absolute(a.url(), path), Arrays.copyOfRange(blob, 0, split),
                "Content-Range", "0-" + (split - 1), "Content-Type", "application/octet-stream").statusCode());
        HttpResponse<byte[]> done = Http.send("PUT", Http.absolute(b.url(), path) + "?digest=" + digest,
                Arrays.copyOfRange(blob, 2 * split, blob.length),
                "Content-Range", 2 * split + "-" + (blob.length - 1), "Content-Type", "application/octet-stream");
        assertEquals(201, done.statusCode(), new String(done.body()));

        assertArrayEquals(blob, Http.send("GET", a.url() + "/v2/e2e/chunks/blobs/" + digest, null).body());
        assertArrayEquals(blob, Http.send("GET", b.url() + "/v2/e2e/chunks/blobs/" + digest, null).body());
    }

    @Test
    void manifestPushedToOneReplicaIsPulledFromTheOther() {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes();
        assertEquals(201, Http.send("POST", a.url() + "/v2/e2e/img/blobs/uploads/?digest=" + Http.sha256(config), config,
                "Content-Type", "application/octet-stream").statusCode());
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Http.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes();
        assertEquals(201, Http.send("PUT", a.url() + "/v2/e2e/img/manifests/v1", manifest,
                "Content-Type", "application/vnd.oci.image.manifest.v1+json").statusCode());
        HttpResponse<byte[]> pulled = Http.send("GET", b.url() + "/v2/e2e/img/manifests/v1", null,
                "Accept", "application/vnd.oci.image.manifest.v1+json");
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(manifest, pulled.body());
        assertEquals(Http.sha256(manifest), pulled.headers().firstValue("Docker-Content-Digest").orElseThrow());
    }
}
