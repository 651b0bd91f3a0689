package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.ReviewQueue;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Candidates this process queued, per queue. A unit of work counts into its {@link Effects} that is added only once the
 * unit has committed, so a rolled-back write counts nothing ({@link Database#queueing}).
 */
final class QueuedTotals {
    private final Map<ReviewQueue, LongAdder> totals = new EnumMap<>(ReviewQueue.class);

    QueuedTotals() {
        for (ReviewQueue queue : ReviewQueue.values()) {
            totals.put(queue, new LongAdder());
        }
    }

    long total(ReviewQueue queue) {
        return totals.get(queue).sum();
    }

    /** Adds what a committed unit queued. */
    void add(Effects effects) {
        totals.get(ReviewQueue.BLOB).add(effects.blobs());
        totals.get(ReviewQueue.MANIFEST).add(effects.manifests());
    }
}
