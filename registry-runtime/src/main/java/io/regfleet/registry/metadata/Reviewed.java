package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.Digest;

import java.util.List;

/**
 * What one batch of reviews decided, each candidate once: deleted ({@code collected}), still referenced
 * ({@code kept}, its review dropped), or left for later ({@code postponed}: in use right now, or not old enough).
 *
 * @param unlinked repository links removed because no manifest of that repository references the blob
 * @param blobs    the blobs whose rows were deleted: their bytes are to be deleted next, then
 *                 {@link GarbageCollection#deletionsDone} (empty for manifest reviews)
 */
public record Reviewed(int collected, int kept, int postponed, int unlinked, List<CollectedBlob> blobs) {
    public static final Reviewed NONE = new Reviewed(0, 0, 0, 0, List.of());

    public Reviewed {
        blobs = List.copyOf(blobs);
    }

    public int reviewed() {
        return collected + kept + postponed;
    }

    /** A blob whose row is gone and whose bytes are claimed for deletion. */
    public record CollectedBlob(Digest digest, long size) {
    }
}
