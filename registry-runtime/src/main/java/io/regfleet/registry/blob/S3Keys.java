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
        return prefix + "blobs/" + digest.algorithm() + "/" + digest.hex();
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
