package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.MetadataChange;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one unit of work leaves behind besides its rows, counted as it goes and acted on only once it has committed
 * ({@link Database#queueing}): the review candidates it queued, what readers may remember that it changed, and
 * whether its WAL position went unnoticed.
 */
final class Effects {
    private int blobs;
    private int manifests;
    private final List<MetadataChange> changes = new ArrayList<>();
    private SQLException unnoticed;

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

    /** The write committed but its WAL position could not be learnt and noticed ({@link WriteNotices}). */
    void unnoticed(SQLException failure) {
        unnoticed = failure;
    }

    SQLException unnoticed() {
        return unnoticed;
    }
}
