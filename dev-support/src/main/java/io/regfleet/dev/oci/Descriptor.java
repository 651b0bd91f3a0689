package io.regfleet.dev.oci;

/** What an OCI descriptor says of a blob: its media type, digest ({@code sha256:<hex>}) and size in bytes. */
public record Descriptor(String mediaType, String digest, long size) {
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";

    /** The hex part of the digest: the blob's file name under {@code blobs/sha256/}. */
    public String hex() {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
