package io.regfleet.e2e;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.RegistryProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** skopeo, a real client, copies images into the registry and back: every blob and manifest byte-identical. */
class SkopeoRoundTripTest {
    static EmbeddedPostgresServer postgres;
    static RegistryProcess registry;

    @BeforeAll
    static void start(@TempDir Path blobs) {
        postgres = EmbeddedPostgresServer.temporary(Map.of("max_connections", "30")).start().createDatabase("regfleet");
        registry = RegistryProcess.builder()
                .property("quarkus.datasource.jdbc.url", postgres.jdbcUrl("regfleet"))
                .property("quarkus.datasource.username", "postgres")
                .property("quarkus.datasource.password", "postgres")
                .property("regfleet.storage.filesystem.root", blobs)
                .build().start().awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void imageLayoutRoundTripIsByteIdentical(@TempDir Path work) throws IOException {
        Path layout = work.resolve("src");
        String manifest = Commands.mkimage(layout, "v1", "100K", "3M", "1");
        String target = "docker://" + hostPort() + "/e2e/app:v1";
        skopeo(work, "copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":v1", target);

        String inspected = skopeo(work, "inspect", "--raw", "--tls-verify=false", target);
        assertEquals(manifest, Http.sha256(inspected.getBytes()), "the registry serves the manifest it was given");

        Path back = work.resolve("back");
        skopeo(work, "copy", "--preserve-digests", "--src-tls-verify=false", target, "oci:" + back + ":v1");
        assertSameBlobs(layout, back);
    }

    @Test
    void multiPlatformIndexRoundTripIsByteIdentical(@TempDir Path work) throws IOException {
        Path layout = work.resolve("multi");
        String amd64 = Commands.mkimage(layout, "amd64", "50K", "200K");
        String arm64 = Commands.mkimage(layout, "arm64", "70K");
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + entry(layout, amd64, "amd64") + "," + entry(layout, arm64, "arm64") + "]}";
        String indexDigest = Http.sha256(index.getBytes());
        Files.writeString(layout.resolve("blobs/sha256/" + indexDigest.substring(7)), index);
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"" + indexDigest
                + "\",\"size\":" + index.length() + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"multi\"}}]}");

        String target = "docker://" + hostPort() + "/e2e/multi:latest";
        skopeo(work, "copy", "--all", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":multi", target);
        assertEquals(index, skopeo(work, "inspect", "--raw", "--tls-verify=false", target));

        Path back = work.resolve("back");
        skopeo(work, "copy", "--all", "--preserve-digests", "--src-tls-verify=false", target, "oci:" + back + ":multi");
        assertSameBlobs(layout, back);
    }

    private static String entry(Path layout, String digest, String arch) throws IOException {
        long size = Files.size(layout.resolve("blobs/sha256/" + digest.substring(7)));
        return "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest + "\",\"size\":" + size
                + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}}";
    }

    /** Every blob of the source layout (layers, configs, manifests, the index) came back with the same bytes. */
    private static void assertSameBlobs(Path source, Path copy) throws IOException {
        List<Path> blobs;
        try (Stream<Path> files = Files.list(source.resolve("blobs/sha256"))) {
            blobs = files.toList();
        }
        assertTrue(blobs.size() >= 3);
        for (Path blob : blobs) {
            Path copied = copy.resolve("blobs/sha256").resolve(blob.getFileName());
            assertTrue(Files.exists(copied), "missing after the round trip: " + blob.getFileName());
            assertArrayEquals(Files.readAllBytes(blob), Files.readAllBytes(copied), "bytes differ: " + blob.getFileName());
        }
    }

    private static String skopeo(Path work, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        return Commands.run(work, command);
    }

    private static String hostPort() {
        return "127.0.0.1:" + registry.port();
    }
}
