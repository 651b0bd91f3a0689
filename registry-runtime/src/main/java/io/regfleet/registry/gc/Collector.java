package io.regfleet.registry.gc;

import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.metadata.ReviewQueue;
import io.regfleet.registry.metadata.Reviewed;
import io.regfleet.registry.metadata.UntaggedManifests;
import io.regfleet.registry.oci.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One round of online garbage collection: a batch of manifest reviews, a batch of blob reviews and the deletion of
 * the collected blobs' bytes, then claims other collectors left unfinished. The metadata decides; the bytes go only
 * after the rows are gone and committed. Any replica may run rounds at the same time as any other.
 */
@ApplicationScoped
public class Collector {
    private static final Logger LOG = Logger.getLogger(Collector.class);
    private final GarbageCollection gc;
    private final BlobStore store;
    private final GcMetrics metrics;
    private final Limits limits;

    /** The settings a round follows, read once. */
    private record Limits(Duration reviewDelay, UntaggedManifests untagged, Duration deletionTimeout, int batch) {
        static Limits of(GcConfig config) {
            return new Limits(config.reviewDelay(), GcConfig.untaggedPolicy(config.untaggedManifests()),
                    config.deletionTimeout(), Math.max(1, config.batchSize()));
        }
    }

    public Collector(GarbageCollection gc, BlobStore store, GcMetrics metrics, GcConfig config) {
        this.limits = Limits.of(config);
        this.gc = gc;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * What one round did: the two batches of reviews, the blob bytes deleted (and their size), and the unfinished
     * deletions it finished for other collectors.
     */
    public record Round(Reviewed manifests, Reviewed blobs, int bytesDeleted, long bytes, int staleFinished) {
        /** Whether the round found work: the next one may find more at once. */
        public boolean worked() {
            return manifests.reviewed() + blobs.reviewed() + staleFinished > 0;
        }
    }

    /** One round. Throws {@code MetadataUnavailableException} when the database is busy (the caller yields). */
    public Round collectOnce() {
        Reviewed manifests = gc.reviewManifests(limits.reviewDelay(), limits.untagged(), limits.batch());
        metrics.reviewed(ReviewQueue.MANIFEST, manifests);
        long claimed = System.nanoTime();
        Reviewed blobs = gc.reviewBlobs(limits.reviewDelay(), limits.batch());
        metrics.reviewed(ReviewQueue.BLOB, blobs);
        List<Digest> deleted = deleteBytes(blobs.blobs().stream().map(Reviewed.CollectedBlob::digest).toList(), claimed);
        long bytes = blobs.blobs().stream().filter(b -> deleted.contains(b.digest()))
                .mapToLong(Reviewed.CollectedBlob::size).sum();
        metrics.bytesDeleted(bytes);
        int stale = finishStaleDeletions();
        if (manifests.collected() + blobs.collected() > 0) {
            LOG.debugf("collected %d manifests, %d blobs (%d bytes), unlinked %d", manifests.collected(),
                    blobs.collected(), bytes, blobs.unlinked());
        }
        return new Round(manifests, blobs, deleted.size(), bytes, stale);
    }

    /** Rounds until one finds nothing due; returns how many rounds worked. For tests and benchmarks. */
    public int drain() {
        int rounds = 0;
        while (collectOnce().worked()) {
            rounds++;
        }
        return rounds;
    }

    /** Deletions claimed long ago and never finished (their collector died between rows and bytes): done again. */
    private int finishStaleDeletions() {
        List<Digest> stale = gc.staleDeletions(limits.deletionTimeout(), limits.batch());
        if (!stale.isEmpty()) {
            LOG.infof("finishing %d blob deletions another collector left unfinished", stale.size());
        }
        return deleteBytes(stale, System.nanoTime()).size();
    }

    /**
     * Deletes the bytes of blobs whose deletion this collector claimed at {@code claimedNanos}, then releases the
     * claims. Past half the deletion timeout (this process was paused, say), it stops: another collector may be
     * finishing the same claims by then, and an upload may follow; the rest is left to it.
     */
    List<Digest> deleteBytes(List<Digest> digests, long claimedNanos) {
        List<Digest> gone = new ArrayList<>();
        for (Digest digest : digests) {
            if (System.nanoTime() - claimedNanos > limits.deletionTimeout().toNanos() / 2) {
                LOG.warnf("blob deletions took longer than half of regfleet.gc.deletion-timeout; %d left to retry",
                        digests.size() - gone.size());
                break;
            }
            try {
                store.delete(digest);
                gone.add(digest);
            } catch (RuntimeException e) {
                metrics.error(GcMetrics.Stage.DELETE);
                // the store's own cause (an S3 error code, an I/O error) is what an operator needs to act on
                LOG.warnf("could not delete the bytes of blob %s (%s%s); retried after the deletion timeout", digest,
                        e.getMessage(), e.getCause() == null ? "" : ": " + e.getCause().getMessage());
            }
        }
        gc.deletionsDone(gone);
        return gone;
    }
}
