package io.regfleet.registry.blob;

/** The range checks every driver applies to {@link BlobStore#open}: the same bad range gets the same error. */
final class BlobRange {
    private BlobRange() {
    }

    /** Refuses negative values before the store is asked anything. */
    static void requireNonNegative(long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
        }
    }

    /** Refuses a range that does not lie within a blob of {@code size} bytes. */
    static void requireWithin(long offset, long length, long size) {
        requireNonNegative(offset, length);
        if (offset > size || length > size - offset) {
            throw beyond(offset, length, size);
        }
    }

    static IllegalArgumentException beyond(long offset, long length, long size) {
        return new IllegalArgumentException(
                "range [" + offset + ", " + (offset + length) + ") lies beyond the blob's " + size + " bytes");
    }
}
