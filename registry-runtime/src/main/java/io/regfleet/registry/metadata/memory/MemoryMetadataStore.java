package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.ImmutableTagException;
import io.regfleet.registry.metadata.ImmutableTags;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.MissingReferencesException;
import io.regfleet.registry.metadata.ReferenceCheck;
import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.metadata.Referrer;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** {@link MetadataStore} over {@link MemoryMetadata}. */
record MemoryMetadataStore(MemoryMetadata metadata) implements MetadataStore {

    @Override
    public void putManifest(RepositoryName repository, Digest digest, ParsedManifest parsed, byte[] content,
                            Collection<String> tags, ImmutableTags immutable) {
        byte[] copy = content.clone();
        metadata.unit(m -> {
            MemoryMetadata.Repository repo = m.repository(repository);
            Map<Digest, Long> held = new HashMap<>();
            parsed.blobs().stream().filter(d -> m.serves(repo, d)).forEach(d -> held.put(d, m.blobSizes().get(d)));
            ReferenceCheck.blobs(parsed, held);
            List<Digest> missingManifests = parsed.manifests().stream()
                    .filter(d -> repo == null || !repo.manifests.containsKey(d)).toList();
            if (!missingManifests.isEmpty()) {
                throw new MissingReferencesException(List.of(), missingManifests);
            }
            List<String> refused = tags.stream().filter(tag -> repo != null && repo.tags.containsKey(tag)
                    && !repo.tags.get(tag).manifest().equals(digest) && immutable.test(repository, tag)).toList();
            if (!refused.isEmpty()) {
                throw new ImmutableTagException(refused);
            }
            MemoryMetadata.Repository target = m.ensure(repository);
            if (!target.manifests.containsKey(digest)) {
                target.manifests.put(digest, new MemoryMetadata.Manifest(digest, parsed, copy, m.nextSequence()));
                m.changed(new MetadataChange.Manifest(repository, digest));
                if (tags.isEmpty()) {
                    m.queueManifests(repository.value(), List.of(digest));
                }
            }
            for (String tag : tags) {
                MemoryMetadata.Tag previous = target.tags.put(tag, new MemoryMetadata.Tag(digest, m.now()));
                if (previous == null || !previous.manifest().equals(digest)) {
                    m.changed(new MetadataChange.Tag(repository, tag));
                }
                if (previous != null && !previous.manifest().equals(digest)) {
                    m.queueWithSubject(repository.value(), previous.manifest());
                }
            }
            return null;
        });
    }

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repository, Reference reference) {
        return metadata.unit(m -> {
            MemoryMetadata.Repository repo = m.repository(repository);
            Digest digest = switch (reference) {
                case Reference.Tag tag -> repo == null || !repo.tags.containsKey(tag.name()) ? null
                        : repo.tags.get(tag.name()).manifest();
                case Reference.ByDigest byDigest -> byDigest.digest();
            };
            return Optional.ofNullable(repo == null || digest == null ? null : repo.manifests.get(digest))
                    .map(found -> new StoredManifest(found.digest(), found.parsed().mediaType(), found.content().clone()));
        });
    }

    @Override
    public boolean deleteManifest(RepositoryName repository, Digest digest, ImmutableTags immutable) {
        return metadata.unit(m -> {
            MemoryMetadata.Repository repo = m.repository(repository);
            if (repo == null || !repo.manifests.containsKey(digest)) {
                return false;
            }
            List<String> frozen = repo.tags.entrySet().stream().filter(e -> e.getValue().manifest().equals(digest))
                    .map(Map.Entry::getKey).filter(tag -> immutable.test(repository, tag)).toList();
            if (!frozen.isEmpty()) {
                throw new ImmutableTagException(frozen);
            }
            m.deleteManifest(repository.value(), digest);
            return true;
        });
    }

    @Override
    public boolean deleteTag(RepositoryName repository, String tag) {
        return metadata.unit(m -> {
            MemoryMetadata.Repository repo = m.repository(repository);
            MemoryMetadata.Tag deleted = repo == null ? null : repo.tags.remove(tag);
            if (deleted != null) {
                m.changed(new MetadataChange.Tag(repository, tag));
                m.queueWithSubject(repository.value(), deleted.manifest());
            }
            return deleted != null;
        });
    }

    @Override
    public boolean repositoryExists(RepositoryName repository) {
        return metadata.unit(m -> m.repository(repository) != null);
    }

    @Override
    public OptionalLong blobSize(RepositoryName repository, Digest digest) {
        return metadata.unit(m -> {
            MemoryMetadata.Repository repo = m.repository(repository);
            return m.serves(repo, digest) ? OptionalLong.of(m.blobSizes().get(digest)) : OptionalLong.empty();
        });
    }

    @Override
    public boolean mountBlob(RepositoryName repository, Digest digest, RepositoryName from) {
        return metadata.unit(m -> {
            MemoryMetadata.Repository source = m.repository(from);
            if (!m.serves(source, digest)) {
                return false;
            }
            if (m.ensure(repository).blobs.add(digest)) {
                m.changed(new MetadataChange.BlobLink(repository, digest));
            }
            m.queueBlobs(List.of(digest));
            return true;
        });
    }

    @Override
    public boolean quarantineBlob(Digest digest) {
        return metadata.unit(m -> {
            if (!m.blobSizes().containsKey(digest) || m.beingWritten(digest) || !m.quarantined().add(digest)) {
                return false;
            }
            m.deletions().putIfAbsent(digest, m.now());
            m.changed(new MetadataChange.Blob(digest));
            return true;
        });
    }

    @Override
    public boolean blobQuarantined(Digest digest) {
        return metadata.unit(m -> m.quarantined().contains(digest));
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest digest) {
        return metadata.unit(m -> {
            MemoryMetadata.Repository repo = m.repository(repository);
            boolean unlinked = repo != null && repo.blobs.remove(digest);
            if (unlinked) {
                m.changed(new MetadataChange.BlobLink(repository, digest));
                m.queueBlobs(List.of(digest));
            }
            return unlinked;
        });
    }

    @Override
    public Optional<Page> tags(RepositoryName repository, String last, int limit) {
        return metadata.unit(m -> Optional.ofNullable(m.repository(repository))
                .map(repo -> page(repo.tags, last, limit)));
    }

    @Override
    public Page catalog(String last, int limit) {
        return metadata.unit(m -> page(m.repositories(), last, limit));
    }

    @Override
    public List<Referrer> referrers(RepositoryName repository, Digest subject, String artifactType) {
        return metadata.unit(m -> {
            MemoryMetadata.Repository repo = m.repository(repository);
            Stream<MemoryMetadata.Manifest> all = repo == null ? Stream.empty() : repo.manifests.values().stream();
            return all.filter(found -> subject.equals(found.parsed().subject()))
                    .filter(found -> artifactType == null || artifactType.equals(found.parsed().artifactType()))
                    .sorted(Comparator.comparingLong(MemoryMetadata.Manifest::sequence))
                    .map(found -> new Referrer(found.digest().toString(), found.parsed().mediaType(),
                            found.content().length, found.parsed().artifactType(), found.parsed().annotationsJson()))
                    .toList();
        });
    }

    @Override
    public void ping() {
        // memory always answers
    }

    @Override
    public long lastSuccessNanos() {
        return System.nanoTime();
    }

    private static Page page(NavigableMap<String, ?> names, String last, int limit) {
        NavigableMap<String, ?> after = last == null ? names : names.tailMap(last, false);
        return Page.of(after.keySet().stream().limit(limit + 1L).toList(), limit);
    }
}
