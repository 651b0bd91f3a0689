package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;

/** The store does not hold a blob the metadata says exists (or the caller asked for one that does not). */
public class BlobNotFoundException extends RuntimeException {
    public BlobNotFoundException(Digest digest) {
        super("blob not in store: " + digest);
    }
}
