package io.regfleet.e2e;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.RegistryProcess;
import io.regfleet.dev.oci.OciIndex;
import io.regfleet.dev.oci.OciLayoutBuilder;
import io.regfleet.dev.oci.Platform;
import io.regfleet.dev.oci.Skopeo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.regfleet.dev.oci.OciLayoutBuilder.KIB;
import static io.regfleet.dev.oci.OciLayoutBuilder.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** skopeo, a real client, copies images into the registry and back: every blob and manifest byte-identical. */
class SkopeoRoundTripTest {
    static EmbeddedPostgresServer postgres;
    static RegistryProcess registry;

    @BeforeAll
    static void start(@TempDir Path blobs) {
        postgres = Fleets.database();
        registry = RegistryProcess.builder()
                .property("quarkus.datasource.jdbc.url", postgres.jdbcUrl("regfleet"))
                .property("quarkus.datasource.username", "postgres")
                .property("quarkus.datasource.password", "postgres")
                .property("regfleet.storage.filesystem.root", blobs)
                .build().start().awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        Fleets.closeAll(registry, postgres);
    }

    @Test
    void imageLayoutRoundTripIsByteIdentical(@TempDir Path work) throws IOException {
        Path layout = work.resolve("src");
        String manifest = OciLayoutBuilder.create(layout).image("v1", 100 * KIB, 3 * MIB, 1).digest();
        String target = "docker://" + hostPort() + "/e2e/app:v1";
        Skopeo.run(work, "copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":v1", target);

        String inspected = Skopeo.run(work, "inspect", "--raw", "--tls-verify=false", target);
        assertEquals(manifest, Http.sha256(inspected.getBytes()), "the registry serves the manifest it was given");

        Path back = work.resolve("back");
        Skopeo.run(work, "copy", "--preserve-digests", "--src-tls-verify=false", target, "oci:" + back + ":v1");
        assertSameBlobs(layout, back);
    }

    @Test
    void multiPlatformIndexRoundTripIsByteIdentical(@TempDir Path work) throws IOException {
        Path layout = work.resolve("multi");
        OciLayoutBuilder builder = OciLayoutBuilder.create(layout);
        OciIndex index = builder.index("multi",
                builder.image(Platform.LINUX_AMD64, 50 * KIB, 200 * KIB), builder.image(Platform.LINUX_ARM64, 70 * KIB));
        String indexBytes = Files.readString(builder.blob(index.descriptor()));

        String target = "docker://" + hostPort() + "/e2e/multi:latest";
        Skopeo.run(work, "copy", "--all", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":multi", target);
        assertEquals(indexBytes, Skopeo.run(work, "inspect", "--raw", "--tls-verify=false", target));

        Path back = work.resolve("back");
        Skopeo.run(work, "copy", "--all", "--preserve-digests", "--src-tls-verify=false", target, "oci:" + back + ":multi");
        assertSameBlobs(layout, back);
    }

    /** Every blob of the source layout (layers, configs, manifests, the index) came back with the same bytes. */
    static void assertSameBlobs(Path source, Path copy) throws IOException {
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

    private static String hostPort() {
        return "127.0.0.1:" + registry.port();
    }
}
