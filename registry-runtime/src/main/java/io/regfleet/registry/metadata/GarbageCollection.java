package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The collector's side of the metadata: review queues, blob deletions and the tags retention looks at. Writes that
 * can orphan something queue a candidate in the same unit ({@link MetadataStore}, {@link UploadSessions}); a review
 * claims due candidates that no other collector holds and deletes one only if, in that same unit, nothing references
 * it. Every method is one short unit of work and may throw {@link MetadataUnavailableException} (busy: try later).
 *
 * <p>Blob bytes follow their rows: a deletion is claimed in the unit that decides it and released by
 * {@link #deletionsDone} once the bytes are gone. While a claim is open no upload writes that digest
 * ({@link UploadSessions#beginCommit}); while an upload writes it, nothing claims it. So a crash leaves bytes without
 * a row (found by the store sweep, {@link #claimOrphans}, or an open claim, retried), never a row without bytes.
 */
public interface GarbageCollection {
    /**
     * Reviews up to {@code limit} blob candidates queued at least {@code delay} ago. A blob no manifest references
     * is deleted (row and repository links); a referenced one loses only the links of repositories where no manifest
     * references it. A blob in use right now (a push locking it, an upload writing it) is postponed.
     */
    Reviewed reviewBlobs(Duration delay, int limit);

    /**
     * Reviews up to {@code limit} manifest candidates queued at least {@code delay} ago. A manifest is held by a tag,
     * an index listing it, a subject still present (it is a referrer), or a referrer of its own that is tagged;
     * one held by nothing is deleted per {@code untagged} (its blobs, children, referrers and subject are queued).
     */
    Reviewed reviewManifests(Duration delay, UntaggedManifests untagged, int limit);

    /**
     * Of {@code stored} (digests the blob store holds), claims for deletion those that no row records, no upload is
     * writing and no deletion claims already: orphans, whose bytes the caller deletes, then {@link #deletionsDone}.
     */
    List<Digest> claimOrphans(Collection<Digest> stored);

    /** Deletion claims older than {@code age}: left by a collector that stopped before the bytes were gone. */
    List<Digest> staleDeletions(Duration age, int limit);

    /** The bytes of these blobs are gone: their deletion claims are released. */
    void deletionsDone(Collection<Digest> digests);

    QueueSizes queueSizes();

    /** Candidates this store instance queued (or queued again) since it started. */
    long queuedTotal(ReviewQueue queue);

    /** The repository's tags, most recently pushed first; empty when the repository is unknown. */
    List<TagRecord> tagRecords(RepositoryName repository);

    /**
     * Deletes the tag (queueing its manifest) only if it is still as {@code tag} records it, i.e. not pushed again
     * since it was listed; false otherwise.
     */
    boolean deleteTagIfUnchanged(RepositoryName repository, TagRecord tag);
}
