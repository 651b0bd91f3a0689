package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.UploadSession;
import io.regfleet.registry.metadata.UploadSessions;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link UploadSessions} over {@link MemoryMetadata}; leases are timed by its clock. */
record MemoryUploadSessions(MemoryMetadata metadata) implements UploadSessions {

    @Override
    public UploadSession create(RepositoryName repository, String id, UploadState state) {
        return metadata.unit(m -> {
            if (m.sessions().containsKey(id)) {
                throw new IllegalStateException("upload session " + id + " exists already");
            }
            m.ensure(repository);
            m.sessions().put(id, new MemoryMetadata.Session(id, repository.value(), state, m.now(), m.nextSequence()));
            return new UploadSession(id, repository.value(), state);
        });
    }

    @Override
    public Optional<UploadSession> find(RepositoryName repository, String id) {
        return metadata.unit(m -> Optional.ofNullable(m.sessions().get(id))
                .filter(session -> session.repository.equals(repository.value()))
                .map(MemoryUploadSessions::view));
    }

    @Override
    public Optional<UploadSession> lease(RepositoryName repository, String id, OptionalLong expectedSize,
                                         String owner, Duration duration) {
        return metadata.unit(m -> {
            MemoryMetadata.Session session = m.sessions().get(id);
            Instant now = m.now();
            if (session == null || !session.repository.equals(repository.value()) || session.leasedAt(now)
                    || (expectedSize.isPresent() && session.state.size() != expectedSize.getAsLong())) {
                return Optional.empty();
            }
            session.leaseOwner = owner;
            session.leaseUntil = now.plus(duration);
            return Optional.of(view(session));
        });
    }

    @Override
    public boolean advance(String id, String owner, UploadState state) {
        return metadata.unit(m -> {
            MemoryMetadata.Session session = heldBy(m, id, owner);
            if (session == null) {
                return false;
            }
            session.state = state;
            session.updatedAt = m.now();
            dropLease(session);
            return true;
        });
    }

    @Override
    public boolean renew(String id, String owner, Duration duration) {
        return metadata.unit(m -> {
            MemoryMetadata.Session session = heldBy(m, id, owner);
            if (session != null) {
                session.leaseUntil = m.now().plus(duration);
            }
            return session != null;
        });
    }

    @Override
    public void release(String id, String owner) {
        metadata.unit(m -> {
            MemoryMetadata.Session session = heldBy(m, id, owner);
            if (session != null) {
                dropLease(session);
            }
            return null;
        });
    }

    @Override
    public CommitClaim beginCommit(UploadSession session, String owner, Digest digest) {
        return metadata.unit(m -> {
            if (m.deletions().containsKey(digest)) {
                return CommitClaim.DELETING;
            }
            MemoryMetadata.Session found = heldBy(m, session.id(), owner);
            if (found == null) {
                return CommitClaim.LEASE_LOST;
            }
            found.state = session.state();
            found.updatedAt = m.now();
            found.committing = digest;
            return CommitClaim.CLAIMED;
        });
    }

    @Override
    public void complete(UploadSession session, Digest digest) {
        metadata.unit(m -> {
            m.blobSizes().putIfAbsent(digest, session.state().size());
            if (m.quarantined().remove(digest)) { // its bytes were just replaced by verified ones
                m.changed(new MetadataChange.Blob(digest));
            }
            RepositoryName repository = new RepositoryName(session.repository());
            if (m.ensure(repository).blobs.add(digest)) {
                m.changed(new MetadataChange.BlobLink(repository, digest));
            }
            m.queueBlobs(List.of(digest));
            return m.sessions().remove(session.id());
        });
    }

    @Override
    public boolean delete(String id) {
        return metadata.unit(m -> {
            MemoryMetadata.Session ended = m.sessions().remove(id);
            if (ended != null && ended.committing != null) {
                m.queueBlobs(List.of(ended.committing));
            }
            return ended != null;
        });
    }

    @Override
    public List<UploadSession> abandoned(Duration age, int limit) {
        return metadata.unit(m -> {
            Instant now = m.now();
            Instant before = now.minus(age);
            return m.sessions().values().stream()
                    .filter(session -> session.updatedAt.isBefore(before) && !session.leasedAt(now))
                    .sorted(Comparator.comparing((MemoryMetadata.Session session) -> session.updatedAt)
                            .thenComparingLong(session -> session.sequence))
                    .limit(limit)
                    .map(MemoryUploadSessions::view)
                    .toList();
        });
    }

    /** The session when {@code owner} holds its lease (even an expired one nobody took), else null. */
    private static MemoryMetadata.Session heldBy(MemoryMetadata m, String id, String owner) {
        MemoryMetadata.Session session = m.sessions().get(id);
        return session != null && owner.equals(session.leaseOwner) ? session : null;
    }

    private static void dropLease(MemoryMetadata.Session session) {
        session.leaseOwner = null;
        session.leaseUntil = null;
    }

    private static UploadSession view(MemoryMetadata.Session session) {
        return new UploadSession(session.id, session.repository, session.state);
    }
}
