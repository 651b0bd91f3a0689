package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.Digest;

import java.util.List;

/**
 * A manifest was not stored because it references blobs or manifests the repository does not hold. Blobs are
 * checked first: when any is missing, {@code manifests} is empty (they were not looked at).
 */
public final class MissingReferencesException extends RuntimeException {
    private final List<Digest> blobs;
    private final List<Digest> manifests;

    public MissingReferencesException(List<Digest> blobs, List<Digest> manifests) {
        super("missing references: blobs " + blobs + ", manifests " + manifests, null, false, false);
        this.blobs = List.copyOf(blobs);
        this.manifests = List.copyOf(manifests);
    }

    /** The referenced blobs the repository does not hold, in the manifest's order. */
    public List<Digest> blobs() {
        return blobs;
    }

    /** The referenced child manifests the repository does not hold, in the manifest's order. */
    public List<Digest> manifests() {
        return manifests;
    }
}
