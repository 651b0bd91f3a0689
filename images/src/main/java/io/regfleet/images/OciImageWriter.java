package io.regfleet.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a root filesystem tarball into a single-layer image in an OCI image layout (the format skopeo copies from):
 * the gzipped layer, the image configuration given, its manifest, and an index naming it by a tag.
 */
final class OciImageWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private OciImageWriter() {
    }

    /** {@code config}: the image configuration without its {@code rootfs}, which is filled in from the layer. */
    static void write(Path rootfsTar, ObjectNode config, Path layout, String tag) {
        try {
            Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
            Layer layer = gzip(rootfsTar, blobs);
            config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layer.diffId());
            ObjectNode configDescriptor = blob(blobs, JSON.writeValueAsBytes(config), "application/vnd.oci.image.config.v1+json");

            ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST);
            manifest.set("config", configDescriptor);
            manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                    .put("digest", layer.digest()).put("size", layer.size());
            ObjectNode manifestDescriptor = blob(blobs, JSON.writeValueAsBytes(manifest), MANIFEST);
            manifestDescriptor.putObject("annotations").put("org.opencontainers.image.ref.name", tag);

            ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
            index.putArray("manifests").add(manifestDescriptor);
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image layout " + layout, e);
        }
    }

    private record Layer(String digest, long size, String diffId) {
    }

    /** Compresses the tarball into the blob folder, digesting both the tarball (diff id) and the compressed blob. */
    private static Layer gzip(Path tar, Path blobs) throws IOException {
        Path partial = Files.createTempFile(blobs, "layer", ".partial");
        MessageDigest uncompressed = sha256();
        MessageDigest compressed = sha256();
        try (InputStream in = Files.newInputStream(tar);
             OutputStream file = Files.newOutputStream(partial);
             DigestOutputStream blob = new DigestOutputStream(file, compressed);
             GZIPOutputStream gzip = new GZIPOutputStream(blob, 1 << 16);
             DigestOutputStream out = new DigestOutputStream(gzip, uncompressed)) {
            in.transferTo(out);
        }
        String digest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
        long size = Files.size(partial);
        Files.move(partial, blobs.resolve(digest.substring(7)), StandardCopyOption.REPLACE_EXISTING);
        return new Layer(digest, size, "sha256:" + HexFormat.of().formatHex(uncompressed.digest()));
    }

    private static ObjectNode blob(Path blobs, byte[] content, String mediaType) throws IOException {
        String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
        Files.write(blobs.resolve(digest.substring(7)), content);
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest).put("size", content.length);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
