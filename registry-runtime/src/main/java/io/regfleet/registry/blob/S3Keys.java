package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;

/**
 * Where the S3 driver keeps things: blobs at {@code <prefix>blobs/<alg>/<hex>}, an upload's objects under
 * {@code <prefix>uploads/<id>/} (full parts {@code part-<n>}, the remainder {@code tail-<offset>}).
 *
 * @param prefix the key prefix, empty or ending with a slash
 */
record S3Keys(String prefix) {

    /** The layout under {@code prefix} ("" or null for none); a missing trailing slash is added. */
    static S3Keys under(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return new S3Keys("");
        }
        return new S3Keys(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    String blob(Digest digest) {
        return blobs() + digest.algorithm() + "/" + digest.hex();
    }

    /** Where every blob's key starts. */
    String blobs() {
        return prefix + "blobs/";
    }

    /** The digest a blob key names, or null for a key that is not a blob's. */
    Digest digestOf(String key) {
        String rest = key.startsWith(blobs()) ? key.substring(blobs().length()) : "";
        int slash = rest.indexOf('/');
        String text = slash < 0 ? "" : rest.substring(0, slash) + ":" + rest.substring(slash + 1);
        try {
            return Digest.looksLikeDigest(text) ? Digest.parse(text) : null;
        } catch (RuntimeException e) {
            return null; // an algorithm we do not support
        }
    }

    String uploadFolder(String uploadId) {
        return prefix + "uploads/" + uploadId + "/";
    }

    String part(String uploadId, int number) {
        return uploadFolder(uploadId) + "part-" + number;
    }

    String tail(String uploadId, long offset) {
        return uploadFolder(uploadId) + "tail-" + offset;
    }
}
