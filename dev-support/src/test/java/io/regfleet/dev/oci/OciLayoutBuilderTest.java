package io.regfleet.dev.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static io.regfleet.dev.oci.OciLayoutBuilder.KIB;
import static io.regfleet.dev.oci.OciLayoutBuilder.MIB;
import static io.regfleet.dev.oci.OciLayoutBuilder.REF_NAME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The layouts are what the image spec describes, checked byte by byte here and read by skopeo, the real client. */
class OciLayoutBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anImageIsAValidLayoutThatSkopeoInspects(@TempDir Path work) throws Exception {
        Path dir = work.resolve("layout");
        OciImage image = OciLayoutBuilder.create(dir).image("v1", 100 * KIB, 3 * MIB, 1);

        assertEquals(Set.of("oci-layout", "index.json", "blobs"), fileNames(dir), "nothing else, no partial files");
        assertEquals("1.0.0", JSON.readTree(dir.resolve("oci-layout").toFile()).get("imageLayoutVersion").asText());
        assertEveryBlobMatchesItsName(dir);
        assertEquals(5, fileNames(dir.resolve("blobs/sha256")).size(), "three layers, a config, a manifest");

        JsonNode tagged = JSON.readTree(dir.resolve("index.json").toFile()).get("manifests");
        assertEquals(1, tagged.size());
        assertEquals(image.manifest(), descriptor(tagged.get(0)));
        assertEquals("v1", tagged.get(0).get("annotations").get(REF_NAME).asText());

        JsonNode manifest = blob(dir, image.manifest());
        assertEquals(2, manifest.get("schemaVersion").asInt());
        assertEquals(Descriptor.MANIFEST, manifest.get("mediaType").asText());
        assertEquals(image.config(), descriptor(manifest.get("config")));
        assertEquals(image.layers(), elements(manifest.get("layers")).map(OciLayoutBuilderTest::descriptor).toList());
        assertEquals(List.of(100 * KIB, 3 * MIB, 1L), image.layers().stream().map(l -> tarredFileSize(dir, l)).toList());

        JsonNode config = blob(dir, image.config());
        assertEquals("amd64", config.get("architecture").asText());
        assertEquals("linux", config.get("os").asText());
        assertEquals(digests(image.layers()), elements(config.at("/rootfs/diff_ids")).map(JsonNode::asText).toList());

        JsonNode inspected = JSON.readTree(Skopeo.run(work, "inspect", "oci:" + dir + ":v1"));
        assertEquals(image.digest(), inspected.get("Digest").asText());
        assertEquals(digests(image.layers()), elements(inspected.get("Layers")).map(JsonNode::asText).toList());
    }

    @Test
    void aMultiPlatformIndexIsCopiedWholeBySkopeo(@TempDir Path work) throws Exception {
        Path dir = work.resolve("multi");
        OciLayoutBuilder layout = OciLayoutBuilder.create(dir);
        OciIndex index = layout.index("multi", layout.image(Platform.LINUX_ARM64, 70 * KIB),
                layout.image(Platform.LINUX_AMD64, 50 * KIB, 200 * KIB));
        OciImage arm64 = index.images().get(0);
        OciImage amd64 = index.images().get(1);

        assertEveryBlobMatchesItsName(dir);
        JsonNode tagged = JSON.readTree(dir.resolve("index.json").toFile()).get("manifests");
        assertEquals(1, tagged.size(), "only the index is tagged");
        assertEquals(index.descriptor(), descriptor(tagged.get(0)));
        JsonNode entries = blob(dir, index.descriptor()).get("manifests");
        assertEquals(List.of(arm64.manifest(), amd64.manifest()),
                elements(entries).map(OciLayoutBuilderTest::descriptor).toList());
        assertEquals(List.of("arm64", "amd64"), elements(entries).map(e -> e.at("/platform/architecture").asText()).toList());
        assertEquals(List.of(70 * KIB), arm64.layers().stream().map(l -> tarredFileSize(dir, l)).toList());
        assertEquals("arm64", blob(dir, arm64.config()).get("architecture").asText());
        assertEquals("amd64", blob(dir, amd64.config()).get("architecture").asText());

        byte[] indexBytes = Files.readAllBytes(layout.blob(index.descriptor()));
        assertEquals(new String(indexBytes), Skopeo.run(work, "inspect", "--raw", "oci:" + dir + ":multi"));

        Path copy = work.resolve("copy");
        Skopeo.run(work, "copy", "--all", "--preserve-digests", "oci:" + dir + ":multi", "oci:" + copy + ":multi");
        Set<String> blobs = fileNames(dir.resolve("blobs/sha256"));
        assertEquals(blobs, fileNames(copy.resolve("blobs/sha256")), "skopeo read and verified every blob");
        for (String name : blobs) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("blobs/sha256").resolve(name)),
                    Files.readAllBytes(copy.resolve("blobs/sha256").resolve(name)), name);
        }
    }

    @Test
    void tagsAccumulateAndNoTwoImagesShareAManifest(@TempDir Path work) throws Exception {
        Path dir = work.resolve("layout");
        OciLayoutBuilder layout = OciLayoutBuilder.create(dir);
        OciImage first = layout.image("first", 0);
        OciImage second = layout.image("second", 0);
        OciImage third = layout.image(Platform.LINUX_AMD64);

        assertNotEquals(first.digest(), second.digest());
        assertEquals(first.layers(), second.layers(), "the same (empty) layer, stored once");
        assertEquals(List.of(), third.layers());
        JsonNode tagged = JSON.readTree(dir.resolve("index.json").toFile()).get("manifests");
        assertEquals(List.of("first", "second"), elements(tagged).map(e -> e.get("annotations").get(REF_NAME).asText()).toList());
        assertEquals(first.digest(), JSON.readTree(Skopeo.run(work, "inspect", "oci:" + dir + ":first")).get("Digest").asText());
        assertEquals(second.digest(), JSON.readTree(Skopeo.run(work, "inspect", "oci:" + dir + ":second")).get("Digest").asText());
        assertNull(tagged.get(2));
    }

    @Test
    void refusesANegativeSizeAndABlankTag(@TempDir Path dir) {
        OciLayoutBuilder layout = OciLayoutBuilder.create(dir);

        assertThrows(IllegalArgumentException.class, () -> layout.image(Platform.LINUX_AMD64, -1));
        assertThrows(IllegalArgumentException.class, () -> layout.image(" ", 1));
    }

    /** Every file under blobs/sha256 is named by the SHA-256 of its bytes. */
    private static void assertEveryBlobMatchesItsName(Path layout) throws Exception {
        for (String name : fileNames(layout.resolve("blobs/sha256"))) {
            byte[] bytes = Files.readAllBytes(layout.resolve("blobs/sha256").resolve(name));
            assertEquals(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
    }

    /** The blob a descriptor points at, whose size it states, as JSON. */
    private static JsonNode blob(Path layout, Descriptor descriptor) throws IOException {
        Path file = layout.resolve("blobs/sha256").resolve(descriptor.hex());
        assertEquals(descriptor.size(), Files.size(file), descriptor.digest());
        return JSON.readTree(file.toFile());
    }

    /** A layer holds one file (data<n>.bin); its size, after checking the layer's size on disk. */
    private static long tarredFileSize(Path layout, Descriptor layer) {
        Path file = layout.resolve("blobs/sha256").resolve(layer.hex());
        try (InputStream in = Files.newInputStream(file); var tar = new TarArchiveInputStream(in)) {
            assertEquals(layer.size(), Files.size(file));
            assertEquals(Descriptor.LAYER_TAR, layer.mediaType());
            TarArchiveEntry entry = tar.getNextEntry();
            long size = entry.getSize();
            assertEquals(size, tar.readAllBytes().length);
            assertNull(tar.getNextEntry(), "one file per layer");
            return size;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Descriptor descriptor(JsonNode node) {
        return new Descriptor(node.get("mediaType").asText(), node.get("digest").asText(), node.get("size").asLong());
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static List<String> digests(List<Descriptor> descriptors) {
        return descriptors.stream().map(Descriptor::digest).toList();
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
