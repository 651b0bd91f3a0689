package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.Digest;

import java.util.List;

/**
 * A manifest was not stored because a descriptor declares a size that differs from the blob the repository holds:
 * every pull of it would fail on the client when the bytes it gets do not match the size it expects.
 */
public final class BlobSizeMismatchException extends RuntimeException {
    private final List<Mismatch> mismatches;

    /** A referenced blob, the size its descriptor declares and the size stored. */
    public record Mismatch(Digest digest, long declared, long stored) {
    }

    public BlobSizeMismatchException(List<Mismatch> mismatches) {
        super("descriptor sizes differ from the stored blobs: " + mismatches, null, false, false);
        this.mismatches = List.copyOf(mismatches);
    }

    public List<Mismatch> mismatches() {
        return mismatches;
    }
}
