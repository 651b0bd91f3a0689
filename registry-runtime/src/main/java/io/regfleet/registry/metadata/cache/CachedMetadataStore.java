package io.regfleet.registry.metadata.cache;

import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.ImmutableTags;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.metadata.Referrer;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link MetadataStore} whose manifest and blob reads are answered from a {@link MetadataCache}; everything else,
 * every write included, goes to the store, which announces what its writes changed to the cache.
 */
final class CachedMetadataStore implements MetadataStore {
    private final MetadataStore store;
    private final MetadataCache cache;

    CachedMetadataStore(MetadataStore store, MetadataCache cache) {
        this.store = store;
        this.cache = cache;
    }

    @Override
    public void putManifest(RepositoryName repository, Digest digest, ParsedManifest parsed, byte[] content,
                            Collection<String> tags, ImmutableTags immutable) {
        store.putManifest(repository, digest, parsed, content, tags, immutable);
        cache.keep(new StoredManifest(digest, parsed.mediaType(), content)); // its first pull needs no query for it
    }

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repository, Reference reference) {
        return cache.manifest(store, repository, reference);
    }

    @Override
    public Optional<StoredManifest> manifestInMemory(RepositoryName repository, Reference reference) {
        return cache.manifestInMemory(repository, reference);
    }

    @Override
    public boolean deleteManifest(RepositoryName repository, Digest digest, ImmutableTags immutable) {
        return store.deleteManifest(repository, digest, immutable);
    }

    @Override
    public boolean deleteTag(RepositoryName repository, String tag) {
        return store.deleteTag(repository, tag);
    }

    @Override
    public boolean repositoryExists(RepositoryName repository) {
        return store.repositoryExists(repository);
    }

    @Override
    public OptionalLong blobSize(RepositoryName repository, Digest digest) {
        return cache.blobSize(store, repository, digest);
    }

    @Override
    public OptionalLong blobSizeInMemory(RepositoryName repository, Digest digest) {
        return cache.blobSizeInMemory(repository, digest);
    }

    @Override
    public boolean mountBlob(RepositoryName repository, Digest digest, RepositoryName from) {
        return store.mountBlob(repository, digest, from);
    }

    @Override
    public boolean quarantineBlob(Digest digest) {
        return store.quarantineBlob(digest);
    }

    @Override
    public boolean blobQuarantined(Digest digest) {
        return store.blobQuarantined(digest);
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest digest) {
        return store.unlinkBlob(repository, digest);
    }

    @Override
    public Optional<Page> tags(RepositoryName repository, String last, int limit) {
        return store.tags(repository, last, limit);
    }

    @Override
    public Page catalog(String last, int limit) {
        return store.catalog(last, limit);
    }

    @Override
    public List<Referrer> referrers(RepositoryName repository, Digest subject, String artifactType) {
        return store.referrers(repository, subject, artifactType);
    }

    @Override
    public void ping() {
        store.ping();
    }

    @Override
    public long lastSuccessNanos() {
        return store.lastSuccessNanos();
    }
}
