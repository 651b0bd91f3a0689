package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;

import java.time.Instant;

/** A blob as a store lists it: its digest, its size and when its bytes were last written. */
public record StoredBlob(Digest digest, long size, Instant modified) {
    /** The order stores list blobs in: by the text {@code <algorithm>/<hex>}, which is S3's key order. */
    static String key(Digest digest) {
        return digest.algorithm() + "/" + digest.hex();
    }
}
