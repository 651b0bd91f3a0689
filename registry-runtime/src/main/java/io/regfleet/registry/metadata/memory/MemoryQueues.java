package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.metadata.ReviewQueue;
import io.regfleet.registry.oci.Digest;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The review queues in memory, keyed by blob digest and by (repository, manifest digest). Used under the
 * {@link MemoryMetadata} lock only, except the totals, which metrics read at any time.
 */
final class MemoryQueues {
    private final Map<Digest, Review> blobs = new HashMap<>();
    private final Map<ManifestKey, Review> manifests = new HashMap<>();
    private final Map<ReviewQueue, AtomicLong> totals = new EnumMap<>(ReviewQueue.class);

    MemoryQueues() {
        for (ReviewQueue queue : ReviewQueue.values()) {
            totals.put(queue, new AtomicLong());
        }
    }

    /** A manifest of a repository, as the manifest queue knows it. */
    record ManifestKey(String repository, Digest digest) {
    }

    /** A queued candidate: when its last event happened, and until when it is postponed. */
    static final class Review {
        final Instant queuedAt;
        Instant retryAt;
        int count;

        Review(Instant queuedAt) {
            this.queuedAt = queuedAt;
        }

        boolean dueAt(Instant now, Duration delay) {
            return !queuedAt.plus(delay).isAfter(now) && (retryAt == null || !retryAt.isAfter(now));
        }

        /** Postponed with a backoff of 2, 4, 8 ... seconds, at most ten minutes. */
        void postpone(Instant now) {
            retryAt = now.plusSeconds(Math.min(1L << Math.min(count + 1, 10), 600));
            count++;
        }
    }

    /** Queues (or queues again, moving its time forward) a blob. */
    void blob(Digest digest, Instant now) {
        blobs.put(digest, new Review(now));
        totals.get(ReviewQueue.BLOB).incrementAndGet();
    }

    void manifest(ManifestKey key, Instant now) {
        manifests.put(key, new Review(now));
        totals.get(ReviewQueue.MANIFEST).incrementAndGet();
    }

    /** Up to {@code limit} blob candidates due at {@code now}, least recently queued first. */
    List<Digest> dueBlobs(Instant now, Duration delay, int limit) {
        return due(blobs, now, delay, limit);
    }

    List<ManifestKey> dueManifests(Instant now, Duration delay, int limit) {
        return due(manifests, now, delay, limit);
    }

    private static <K> List<K> due(Map<K, Review> queue, Instant now, Duration delay, int limit) {
        return queue.entrySet().stream().filter(e -> e.getValue().dueAt(now, delay))
                .sorted(Comparator.comparing(e -> e.getValue().queuedAt)).limit(limit).map(Map.Entry::getKey).toList();
    }

    Review blobReview(Digest digest) {
        return blobs.get(digest);
    }

    Review manifestReview(ManifestKey key) {
        return manifests.get(key);
    }

    void dropBlob(Digest digest) {
        blobs.remove(digest);
    }

    void dropManifest(ManifestKey key) {
        manifests.remove(key);
    }

    long blobCount() {
        return blobs.size();
    }

    long manifestCount() {
        return manifests.size();
    }

    long total(ReviewQueue queue) {
        return totals.get(queue).get();
    }
}
