package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.QueueSizes;
import io.regfleet.registry.metadata.ReviewQueue;
import io.regfleet.registry.metadata.Reviewed;
import io.regfleet.registry.metadata.TagRecord;
import io.regfleet.registry.metadata.UntaggedManifests;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@link GarbageCollection} over {@link MemoryMetadata}: a review runs alone, so nothing is ever in use during it. */
record MemoryGarbageCollection(MemoryMetadata metadata) implements GarbageCollection {

    @Override
    public Reviewed reviewBlobs(Duration delay, int limit) {
        return metadata.unit(m -> {
            int kept = 0;
            int postponed = 0;
            int unlinked = 0;
            List<Reviewed.CollectedBlob> collected = new ArrayList<>();
            for (Digest digest : m.queues().dueBlobs(m.now(), delay, limit)) {
                Long size = m.blobSizes().get(digest);
                if (size != null && (m.beingWritten(digest) || m.deletions().containsKey(digest))) {
                    m.queues().blobReview(digest).postpone(m.now());
                    postponed++;
                    continue;
                }
                m.queues().dropBlob(digest);
                if (size == null) {
                    kept++;
                    continue;
                }
                for (Map.Entry<String, MemoryMetadata.Repository> repo : m.repositories().entrySet()) {
                    if (repo.getValue().manifests.values().stream().noneMatch(x -> x.parsed().blobs().contains(digest))
                            && repo.getValue().blobs.remove(digest)) {
                        m.changed(new MetadataChange.BlobLink(new RepositoryName(repo.getKey()), digest));
                        unlinked++;
                    }
                }
                if (m.blobReferenced(digest)) {
                    kept++;
                    continue;
                }
                m.blobSizes().remove(digest);
                m.quarantined().remove(digest);
                m.changed(new MetadataChange.Blob(digest));
                m.deletions().putIfAbsent(digest, m.now());
                collected.add(new Reviewed.CollectedBlob(digest, size));
            }
            return new Reviewed(collected.size(), kept, postponed, unlinked, collected);
        });
    }

    @Override
    public Reviewed reviewManifests(Duration delay, UntaggedManifests untagged, int limit) {
        return metadata.unit(m -> {
            int collected = 0;
            int kept = 0;
            int postponed = 0;
            Instant now = m.now();
            for (MemoryQueues.ManifestKey key : m.queues().dueManifests(now, delay, limit)) {
                MemoryMetadata.Repository repo = m.repositories().get(key.repository());
                MemoryQueues.Review review = m.queues().manifestReview(key);
                if (!untagged.collect() || m.manifestHeld(repo, repo.manifests.get(key.digest()))) {
                    m.queues().dropManifest(key);
                    kept++;
                } else if (review.queuedAt.plus(untagged.after()).isAfter(now)) {
                    review.retryAt = review.queuedAt.plus(untagged.after());
                    postponed++;
                } else {
                    m.deleteManifest(key.repository(), key.digest());
                    collected++;
                }
            }
            return new Reviewed(collected, kept, postponed, 0, List.of());
        });
    }

    @Override
    public List<Digest> claimOrphans(Collection<Digest> stored) {
        return metadata.unit(m -> {
            List<Digest> claimed = stored.stream().distinct()
                    .filter(d -> !m.blobSizes().containsKey(d) && !m.beingWritten(d) && !m.deletions().containsKey(d))
                    .sorted(Comparator.comparing(Digest::toString)).toList();
            claimed.forEach(d -> m.deletions().put(d, m.now()));
            return claimed;
        });
    }

    @Override
    public List<Digest> staleDeletions(Duration age, int limit) {
        return metadata.unit(m -> m.deletions().entrySet().stream()
                .filter(e -> !e.getValue().plus(age).isAfter(m.now()))
                .sorted(Map.Entry.comparingByValue()).limit(limit).map(Map.Entry::getKey).toList());
    }

    @Override
    public void deletionsDone(Collection<Digest> digests) {
        metadata.unit(m -> m.deletions().keySet().removeAll(digests));
    }

    @Override
    public QueueSizes queueSizes() {
        return metadata.unit(m -> new QueueSizes(m.queues().blobCount(), m.queues().manifestCount(), m.deletions().size()));
    }

    @Override
    public long queuedTotal(ReviewQueue queue) {
        return metadata.queues().total(queue);
    }

    @Override
    public List<TagRecord> tagRecords(RepositoryName repository) {
        return metadata.unit(m -> {
            MemoryMetadata.Repository repo = m.repository(repository);
            return repo == null ? List.<TagRecord>of() : repo.tags.entrySet().stream()
                    .map(e -> new TagRecord(e.getKey(), e.getValue().manifest(), e.getValue().pushedAt()))
                    .sorted(Comparator.comparing(TagRecord::pushedAt).reversed().thenComparing(TagRecord::name))
                    .toList();
        });
    }

    @Override
    public boolean deleteTagIfUnchanged(RepositoryName repository, TagRecord tag) {
        return metadata.unit(m -> {
            MemoryMetadata.Repository repo = m.repository(repository);
            MemoryMetadata.Tag current = repo == null ? null : repo.tags.get(tag.name());
            if (current == null || !current.equals(new MemoryMetadata.Tag(tag.manifest(), tag.pushedAt()))) {
                return false;
            }
            repo.tags.remove(tag.name());
            m.changed(new MetadataChange.Tag(repository, tag.name()));
            m.queueWithSubject(repository.value(), tag.manifest());
            return true;
        });
    }
}
