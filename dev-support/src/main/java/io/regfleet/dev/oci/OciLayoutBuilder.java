package io.regfleet.dev.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Writes an OCI image layout (the image spec's {@code oci-layout}, {@code index.json} and {@code blobs/sha256/}) that
 * skopeo reads as {@code oci:DIR:TAG}. An image gets one uncompressed tar layer per requested size, each holding one
 * file of random bytes, and a config with a label of its own, so every image is new to a registry and no two share a
 * manifest. Not thread-safe.
 */
public final class OciLayoutBuilder {
    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    /** The annotation by which {@code index.json} gives a manifest or an index its tag. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The config label that makes each image unique. */
    public static final String IMAGE_ID_LABEL = "io.regfleet.image-id";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 64 * 1024;

    private final Path root;
    private final Path blobs;
    private final Random random = new Random();
    private final Map<String, Descriptor> tags = new LinkedHashMap<>();

    private OciLayoutBuilder(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs").resolve("sha256");
    }

    /** A layout in {@code root} (created if missing), with no tag yet; an {@code index.json} there is replaced. */
    public static OciLayoutBuilder create(Path root) {
        OciLayoutBuilder layout = new OciLayoutBuilder(root);
        try {
            Files.createDirectories(layout.blobs);
            Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an OCI layout in " + root, e);
        }
        layout.writeIndexJson();
        return layout;
    }

    public Path root() {
        return root;
    }

    /** The file of a blob of this layout. */
    public Path blob(Descriptor descriptor) {
        return blobs.resolve(descriptor.hex());
    }

    /** A linux/amd64 image with one layer of each size (bytes of the file in it), tagged {@code tag}. */
    public OciImage image(String tag, long... layerSizes) {
        OciImage image = image(Platform.LINUX_AMD64, layerSizes);
        tag(tag, image.manifest());
        return image;
    }

    /** An image with one layer of each size, not tagged (e.g. for an index). */
    public OciImage image(Platform platform, long... layerSizes) {
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < layerSizes.length; i++) {
            layers.add(writeLayer("data" + i + ".bin", layerSizes[i]));
        }
        ObjectNode config = JSON.createObjectNode()
                .put("architecture", platform.architecture())
                .put("os", platform.os())
                .put("created", "1970-01-01T00:00:00Z");
        ObjectNode runtime = config.putObject("config");
        runtime.putArray("Cmd").add("/bin/true");
        runtime.putObject("Labels").put(IMAGE_ID_LABEL, UUID.randomUUID().toString());
        ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        layers.forEach(layer -> diffIds.add(layer.digest())); // uncompressed layers: the diff ID is the digest
        Descriptor configBlob = writeJson(Descriptor.CONFIG, config);

        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Descriptor.MANIFEST);
        manifest.set("config", json(configBlob));
        ArrayNode layerList = manifest.putArray("layers");
        layers.forEach(layer -> layerList.add(json(layer)));
        return new OciImage(writeJson(Descriptor.MANIFEST, manifest), configBlob, layers, platform);
    }

    /** An image index listing {@code images} with their platforms (a multi-platform image), tagged {@code tag}. */
    public OciIndex index(String tag, OciImage... images) {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Descriptor.INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (OciImage image : images) {
            ObjectNode entry = json(image.manifest());
            entry.putObject("platform").put("architecture", image.platform().architecture())
                    .put("os", image.platform().os());
            manifests.add(entry);
        }
        OciIndex written = new OciIndex(writeJson(Descriptor.INDEX, index), List.of(images));
        tag(tag, written.descriptor());
        return written;
    }

    /** Lists {@code target} (a manifest or index of this layout) in {@code index.json} as {@code tag}. */
    public OciLayoutBuilder tag(String tag, Descriptor target) {
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("a tag must not be blank");
        }
        tags.put(tag, target);
        writeIndexJson();
        return this;
    }

    private void writeIndexJson() {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Descriptor.INDEX);
        ArrayNode manifests = index.putArray("manifests");
        tags.forEach((tag, target) -> {
            ObjectNode entry = json(target);
            entry.putObject("annotations").put(REF_NAME, tag);
            manifests.add(entry);
        });
        try {
            Files.write(root.resolve("index.json"), JSON.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve("index.json"), e);
        }
    }

    /** An uncompressed tar of one file of {@code size} random bytes, owned by root, dated 1970. */
    private Descriptor writeLayer(String fileName, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a layer cannot hold " + size + " bytes");
        }
        MessageDigest sha256 = sha256();
        try {
            Path partial = Files.createTempFile(root, "layer-", ".partial");
            try (var tar = new TarArchiveOutputStream(
                    new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)), sha256))) {
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                TarArchiveEntry entry = new TarArchiveEntry(fileName);
                entry.setSize(size);
                entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE);
                entry.setModTime(FileTime.fromMillis(0));
                entry.setIds(0, 0);
                entry.setNames("", "");
                tar.putArchiveEntry(entry);
                byte[] chunk = new byte[CHUNK];
                for (long left = size; left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    tar.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                tar.closeArchiveEntry();
            }
            String hex = HexFormat.of().formatHex(sha256.digest());
            Path blob = Files.move(partial, blobs.resolve(hex), StandardCopyOption.REPLACE_EXISTING);
            return new Descriptor(Descriptor.LAYER_TAR, "sha256:" + hex, Files.size(blob));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a layer of " + size + " bytes in " + root, e);
        }
    }

    private Descriptor writeJson(String mediaType, ObjectNode document) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(document);
            String hex = HexFormat.of().formatHex(sha256().digest(bytes));
            Files.write(blobs.resolve(hex), bytes);
            return new Descriptor(mediaType, "sha256:" + hex, bytes.length);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a blob in " + root, e);
        }
    }

    private static ObjectNode json(Descriptor descriptor) {
        return JSON.createObjectNode().put("mediaType", descriptor.mediaType()).put("digest", descriptor.digest())
                .put("size", descriptor.size());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
