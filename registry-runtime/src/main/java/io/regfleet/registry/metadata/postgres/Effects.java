package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.MetadataChange;

import java.util.ArrayList;
import java.util.List;

/**
 * What one unit of work leaves behind besides its rows, counted as it goes and acted on only once it has committed
 * ({@link Database#queueing}): the review candidates it queued, and what readers may remember that it changed.
 */
final class Effects {
    private int blobs;
    private int manifests;
    private final List<MetadataChange> changes = new ArrayList<>();

    void blobs(int queued) {
        blobs += queued;
    }

    void manifests(int queued) {
        manifests += queued;
    }

    int blobs() {
        return blobs;
    }

    int manifests() {
        return manifests;
    }

    void changed(MetadataChange change) {
        changes.add(change);
    }

    List<MetadataChange> changes() {
        return changes;
    }
}
