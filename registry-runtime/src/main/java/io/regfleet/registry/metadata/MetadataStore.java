package io.regfleet.registry.metadata;

import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the registry knows about repositories, manifests, tags and blobs, as whole units of work: each method is one
 * query or one short transaction of its own, so no caller holds the store between two calls (nor while bytes
 * stream). Names and tags list in byte order. Every method may throw {@link MetadataUnavailableException} when the
 * store cannot answer now. Upload sessions are in {@link UploadSessions}.
 */
public interface MetadataStore {
    /**
     * Stores a manifest and points each of {@code tags} at it (moving them from any other manifest), in one unit.
     * The repository is created on first push. Every blob and child manifest the manifest references must already
     * be in the repository, each blob with the size its descriptor declares; otherwise nothing is written, the
     * repository included, and {@link MissingReferencesException} names what is missing (checked first), or
     * {@link BlobSizeMismatchException} the sizes that differ. A tag {@code immutable} names that points at another
     * manifest is not moved: nothing is written and {@link ImmutableTagException} names it. Idempotent: a digest is
     * always the same bytes. What it references stays referenced: the collector cannot delete it concurrently.
     * A manifest pushed without a tag, and one a tag moved away from, are queued for review.
     */
    void putManifest(RepositoryName repository, Digest digest, ParsedManifest parsed, byte[] content,
                     Collection<String> tags, ImmutableTags immutable);

    /** {@link #putManifest(RepositoryName, Digest, ParsedManifest, byte[], Collection, ImmutableTags)}, no tag immutable. */
    default void putManifest(RepositoryName repository, Digest digest, ParsedManifest parsed, byte[] content,
                             Collection<String> tags) {
        putManifest(repository, digest, parsed, content, tags, ImmutableTags.NONE);
    }

    /** {@link #putManifest(RepositoryName, Digest, ParsedManifest, byte[], Collection)} with one tag, or none (null). */
    default void putManifest(RepositoryName repository, Digest digest, ParsedManifest parsed, byte[] content, String tag) {
        putManifest(repository, digest, parsed, content, tag == null ? List.of() : List.of(tag));
    }

    /** The manifest the reference (tag or digest) names, as stored: its content is not verified here. */
    Optional<StoredManifest> manifest(RepositoryName repository, Reference reference);

    /**
     * The manifest the reference names, when this store can answer at once from memory (no I/O, no wait): what an
     * event-loop thread may ask. Only content that matched its digest when it was remembered is answered, so it needs
     * no integrity check. Empty when only {@link #manifest} can tell, whether the manifest is there or not.
     */
    default Optional<StoredManifest> manifestInMemory(RepositoryName repository, Reference reference) {
        return Optional.empty();
    }

    /**
     * Deletes the manifest and every tag on it, and queues for review what it held (its blobs, index entries,
     * referrers and subject); false when the repository does not hold it. When a tag on it is {@code immutable},
     * nothing is deleted and {@link ImmutableTagException} names the tags.
     */
    boolean deleteManifest(RepositoryName repository, Digest digest, ImmutableTags immutable);

    /** {@link #deleteManifest(RepositoryName, Digest, ImmutableTags)}, no tag immutable. */
    default boolean deleteManifest(RepositoryName repository, Digest digest) {
        return deleteManifest(repository, digest, ImmutableTags.NONE);
    }

    /** Deletes the tag and keeps its manifest (queued for review); false when the repository has no such tag. */
    boolean deleteTag(RepositoryName repository, String tag);

    boolean repositoryExists(RepositoryName repository);

    /** The size of a blob the repository may serve, or empty when it may not (not linked there, or quarantined). */
    OptionalLong blobSize(RepositoryName repository, Digest digest);

    /** {@link #blobSize}, when this store can answer at once from memory that the repository serves it; else empty. */
    default OptionalLong blobSizeInMemory(RepositoryName repository, Digest digest) {
        return OptionalLong.empty();
    }

    /**
     * Links a blob {@code from} holds to {@code repository} (created when new), checked and linked in one unit;
     * false, and nothing written, when {@code from} does not hold it. The blob is queued for review: a link is not a
     * reference, and one no manifest uses is removed after the review delay.
     */
    boolean mountBlob(RepositoryName repository, Digest digest, RepositoryName from);

    /**
     * Marks a blob whose stored bytes failed verification: from now on no repository serves it (it reads as absent,
     * so clients push it again), until a verified upload of the same digest clears the mark
     * ({@link UploadSessions#complete}). True when it did so and claimed the deletion of the corrupt bytes (the caller
     * deletes them, then {@link GarbageCollection#deletionsDone}); false when the blob is unknown, quarantined
     * already, or an upload is writing verified bytes for it right now (which heals it).
     */
    boolean quarantineBlob(Digest digest);

    /** Whether the blob is quarantined (its stored bytes failed verification and were not replaced yet). */
    boolean blobQuarantined(Digest digest);

    /** Removes the blob from the repository (queued for review); false when it was not there. Other repositories keep it. */
    boolean unlinkBlob(RepositoryName repository, Digest digest);

    /** Up to {@code limit} tags after {@code last} (null: from the start); empty when the repository is unknown. */
    Optional<Page> tags(RepositoryName repository, String last, int limit);

    /** Up to {@code limit} repository names after {@code last} (null: from the start). */
    Page catalog(String last, int limit);

    /** The manifests whose subject is {@code subject}, of one artifact type unless it is null; oldest first. */
    List<Referrer> referrers(RepositoryName repository, Digest subject, String artifactType);

    /** Asks the store to answer now; throws {@link MetadataUnavailableException} when it cannot. */
    void ping();

    /** When a unit of work last succeeded ({@link System#nanoTime()}), 0 if never: recent work proves the store up. */
    long lastSuccessNanos();
}
