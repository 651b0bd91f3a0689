package io.regfleet.registry.gc;

import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.blob.StoredBlob;
import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.oci.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Walks the blob store page by page for bytes that no row records: what a crash between an upload's byte commit and
 * its row leaves behind (a collector's own crash leaves a deletion claim, finished sooner). Bytes younger than the
 * review delay are left alone, so that a replica of an older version, which commits without a claim, is not raced.
 */
@ApplicationScoped
public class StoreSweep {
    private static final Logger LOG = Logger.getLogger(StoreSweep.class);
    private final BlobStore store;
    private final GarbageCollection gc;
    private final Collector collector;
    private final GcMetrics metrics;
    private final Duration grace;
    private final int pageSize;
    private final Clock clock;
    private Digest cursor;

    public StoreSweep(BlobStore store, GarbageCollection gc, Collector collector, GcMetrics metrics, GcConfig config) {
        this.store = store;
        this.gc = gc;
        this.collector = collector;
        this.metrics = metrics;
        this.grace = config.reviewDelay();
        this.pageSize = Math.max(1, config.batchSize()) * 8;
        this.clock = Clock.systemUTC();
    }

    /** One page of the current pass; true when the pass has reached the end of the store (the next starts over). */
    public synchronized boolean sweepPage() {
        List<StoredBlob> page = store.list(cursor, pageSize);
        Instant settled = clock.instant().minus(grace);
        List<Digest> old = page.stream().filter(b -> !b.modified().isAfter(settled)).map(StoredBlob::digest).toList();
        List<Digest> orphans = gc.claimOrphans(old);
        if (!orphans.isEmpty()) {
            List<Digest> deleted = collector.deleteBytes(orphans, System.nanoTime());
            metrics.orphansDeleted(deleted.size());
            metrics.bytesDeleted(page.stream().filter(b -> deleted.contains(b.digest())).mapToLong(StoredBlob::size).sum());
            LOG.infof("store sweep deleted %d blobs no row recorded: %s", deleted.size(), deleted);
        }
        cursor = page.size() < pageSize ? null : page.getLast().digest();
        return cursor == null;
    }

    /** A whole pass from the start (tests). */
    public synchronized void sweepAll() {
        cursor = null;
        while (!sweepPage()) {
            // next page
        }
    }
}
