package io.regfleet.registry.metadata.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.MetadataChangeListener;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a pod remembers of the metadata: manifest contents by digest (they never change: kept until memory is
 * needed, bounded by bytes, and only once they matched their digest), and the answers that change, each forgotten by
 * the change that makes it stale ({@link MetadataChange}, heard from this pod's writes at once and from the other
 * replicas' by the store's notices): what a tag or digest resolves to in a repository, and the size of a blob a
 * repository serves. While the other replicas' notices may be missed, changing answers live only the fallback ttl.
 * Only reads are answered from here; every write still checks the store itself.
 */
public final class MetadataCache implements MetadataChangeListener {
    /** What a reference resolves to: the manifest's digest and media type (its content is remembered by digest). */
    record Head(Digest digest, String mediaType) {
    }

    record ManifestKey(RepositoryName repository, Reference reference) {
    }

    record BlobKey(RepositoryName repository, Digest digest) {
    }

    private final Freshness freshness;
    private final Remembered<ManifestKey, Optional<Head>> references;
    private final Remembered<BlobKey, OptionalLong> blobs;
    private final Cache<Digest, byte[]> contents;

    /**
     * @param othersHeard whether every other replica's write is heard from the start: true for a store no other
     *                    process writes; false until a notice listener says it hears them
     */
    public MetadataCache(CacheSettings settings, Ticker ticker, boolean othersHeard) {
        this.freshness = new Freshness(othersHeard);
        this.references = new Remembered<>(settings, ticker, freshness, ManifestKey::hashCode);
        this.blobs = new Remembered<>(settings, ticker, freshness, key -> key.digest().hashCode());
        this.contents = Caffeine.newBuilder()
                .maximumWeight(settings.manifestBytes())
                .weigher((Digest digest, byte[] content) -> content.length)
                .recordStats()
                .build();
    }

    /** The store, with its manifest and blob reads answered from this cache (which must hear the store's changes). */
    public MetadataStore over(MetadataStore store) {
        return new CachedMetadataStore(store, this);
    }

    Optional<StoredManifest> manifest(MetadataStore store, RepositoryName repository, Reference reference) {
        Optional<Head> head = references.get(new ManifestKey(repository, reference),
                key -> store.manifest(repository, reference).map(this::keep));
        if (head.isEmpty()) {
            return Optional.empty();
        }
        Digest digest = head.get().digest();
        byte[] content = contents.get(digest, d -> store.manifest(repository, new Reference.ByDigest(d))
                .filter(read -> read.digest().matches(read.content())).map(StoredManifest::content).orElse(null));
        // deleted since, or stored bytes that do not match: whatever the store says now, never remembered
        return content == null ? store.manifest(repository, new Reference.ByDigest(digest))
                : Optional.of(new StoredManifest(digest, head.get().mediaType(), content));
    }

    Optional<StoredManifest> manifestInMemory(RepositoryName repository, Reference reference) {
        Optional<Head> head = references.ifPresent(new ManifestKey(repository, reference));
        byte[] content = head == null || head.isEmpty() ? null : contents.getIfPresent(head.get().digest());
        return content == null ? Optional.empty()
                : Optional.of(new StoredManifest(head.get().digest(), head.get().mediaType(), content));
    }

    /** Remembers the content of a manifest the store holds (pushed or read), once it matches its digest. */
    Head keep(StoredManifest manifest) {
        if (manifest.digest().matches(manifest.content())) {
            contents.put(manifest.digest(), manifest.content());
        }
        return new Head(manifest.digest(), manifest.mediaType());
    }

    OptionalLong blobSize(MetadataStore store, RepositoryName repository, Digest digest) {
        return blobs.get(new BlobKey(repository, digest), key -> store.blobSize(repository, digest));
    }

    OptionalLong blobSizeInMemory(RepositoryName repository, Digest digest) {
        OptionalLong size = blobs.ifPresent(new BlobKey(repository, digest));
        return size == null ? OptionalLong.empty() : size;
    }

    @Override
    public void changed(Collection<MetadataChange> changes) {
        Set<Digest> everywhere = new HashSet<>();
        for (MetadataChange change : changes) {
            switch (change) {
                case MetadataChange.Tag t -> references.forget(new ManifestKey(t.repository(), new Reference.Tag(t.tag())));
                case MetadataChange.Manifest m ->
                        references.forget(new ManifestKey(m.repository(), new Reference.ByDigest(m.digest())));
                case MetadataChange.BlobLink l -> blobs.forget(new BlobKey(l.repository(), l.digest()));
                case MetadataChange.Blob b -> everywhere.add(b.digest());
                case MetadataChange.Everything e -> {
                    freshness.everythingChanged();
                    forgetChangingAnswers();
                }
            }
        }
        if (!everywhere.isEmpty()) {
            blobs.forgetAll(everywhere.stream().map(Digest::hashCode).toList(), key -> everywhere.contains(key.digest()));
        }
    }

    @Override
    public void othersUnheard() {
        freshness.hearing(false);
        forgetChangingAnswers();
    }

    @Override
    public void othersHeard() {
        freshness.hearing(true);
        forgetChangingAnswers();
    }

    /** Forgets everything, manifest contents included: what a restart does (a test's cold cache). */
    public void forgetEverything() {
        freshness.everythingChanged();
        forgetChangingAnswers();
        contents.invalidateAll();
    }

    /** Whether every write of the other replicas is heard now (else answers live the fallback ttl). */
    public boolean hearing() {
        return freshness.hearing();
    }

    /** The Caffeine caches by name, for metrics: references, blobs, contents. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("references", references.caffeine(), "blobs", blobs.caffeine(), "contents", contents);
    }

    /** Reads answered and read from the store so far: references and blobs together. */
    public CacheStats stats() {
        return references.stats().plus(blobs.stats());
    }

    private void forgetChangingAnswers() {
        references.forgetAll();
        blobs.forgetAll();
    }
}
