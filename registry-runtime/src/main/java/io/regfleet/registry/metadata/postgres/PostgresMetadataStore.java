package io.regfleet.registry.metadata.postgres;

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
import io.regfleet.registry.metadata.postgres.replica.ReadKind;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The metadata store on PostgreSQL: plain SQL in short transactions (READ COMMITTED), reads in autocommit so that
 * a manifest GET is one query. Names and tags are {@code COLLATE "C"} in the schema: byte order whatever the locale.
 * A push locks (KEY SHARE) every row its manifest depends on, so the collector ({@link PostgresGarbageCollection})
 * cannot delete one of them under it. Every write tells what it changed ({@link io.regfleet.registry.metadata.MetadataChange})
 * to this process's listeners once committed, and to the other replicas by a notice in its transaction. Reads that
 * tolerate lag may go to a read replica ({@link ReplicaReads}); a manifest by tag and every write stay on the primary.
 */
@ApplicationScoped
@Typed(PostgresMetadataStore.class) // the registry uses it through its cache (MetadataStores)
public class PostgresMetadataStore implements MetadataStore {
    private final Database db;
    private final ReplicaReads reads;

    PostgresMetadataStore(Database db) {
        this.db = db;
        this.reads = new ReplicaReads(db);
    }

    @Override
    public void putManifest(RepositoryName repository, Digest digest, ParsedManifest parsed, byte[] content,
                            Collection<String> tags, ImmutableTags immutable) {
        db.queueing((c, effects) -> {
            long repositoryId = Repositories.ensure(c, repository);
            ReferenceCheck.blobs(parsed, Blobs.lockedSizesIn(c, repositoryId, parsed.blobs()));
            List<Digest> missingManifests = DigestTable.MANIFESTS.missing(c, repositoryId, parsed.manifests());
            if (!missingManifests.isEmpty()) {
                throw new MissingReferencesException(List.of(), missingManifests);
            }
            if (parsed.subject() != null) { // a tagged referrer holds its subject: not deleted under this push
                Manifests.lock(c, repositoryId, parsed.subject().toString(), "FOR KEY SHARE");
            }
            if (Manifests.insertOrLock(c, repositoryId, digest, parsed, content)) {
                effects.changed(new MetadataChange.Manifest(repository, digest));
                References.record(c, repositoryId, digest, parsed);
                if (tags.isEmpty()) {
                    effects.manifests(Reviews.manifests(c, repositoryId, List.of(digest.toString()),
                            Reviews.Event.UNTAGGED_PUSH));
                }
            }
            pointTags(c, repository, repositoryId, digest, tags, immutable, effects);
            return null;
        });
    }

    /** Points each tag at the manifest; a tag moved away from another manifest queues that one (and its subject). */
    private static void pointTags(Connection c, RepositoryName repository, long repositoryId, Digest digest,
                                  Collection<String> tags, ImmutableTags immutable, Effects effects)
            throws SQLException {
        List<String> refused = new ArrayList<>();
        for (String tag : tags) {
            Tags.Locked locked;
            do {
                locked = Tags.lockOrCreate(c, repositoryId, tag, digest);
            } while (locked.raced());
            String current = locked.target();
            if (current == null) {
                effects.changed(new MetadataChange.Tag(repository, tag));
                continue;
            }
            boolean moves = !current.equals(digest.toString());
            if (moves && immutable.test(repository, tag)) {
                refused.add(tag);
                continue;
            }
            Tags.move(c, repositoryId, tag, digest);
            if (moves) {
                effects.changed(new MetadataChange.Tag(repository, tag));
                effects.manifests(Manifests.queueWithSubject(c, repositoryId, current, Reviews.Event.TAG_MOVE));
            }
        }
        if (!refused.isEmpty()) {
            throw new ImmutableTagException(refused);
        }
    }

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repository, Reference reference) {
        return switch (reference) { // a tag moves: only the primary knows where it points now
            case Reference.Tag tag -> db.read(c -> Manifests.byTag(c, repository, tag.name()));
            case Reference.ByDigest byDigest -> reads.read(ReadKind.MANIFEST_BY_DIGEST, repository,
                    c -> Manifests.byDigest(c, repository, byDigest.digest()), Optional::isPresent);
        };
    }

    @Override
    public boolean deleteManifest(RepositoryName repository, Digest digest, ImmutableTags immutable) {
        return db.queueing((c, effects) -> {
            OptionalLong repositoryId = Repositories.find(c, repository);
            Manifests.Locked locked = repositoryId.isEmpty() ? null
                    : Manifests.lock(c, repositoryId.getAsLong(), digest.toString(), "FOR UPDATE");
            if (locked == null) {
                return false;
            }
            List<String> tags = Tags.on(c, repositoryId.getAsLong(), digest.toString());
            List<String> frozen = tags.stream().filter(tag -> immutable.test(repository, tag)).toList();
            if (!frozen.isEmpty()) {
                throw new ImmutableTagException(frozen);
            }
            tags.forEach(tag -> effects.changed(new MetadataChange.Tag(repository, tag)));
            Manifests.deleteLocked(c, repositoryId.getAsLong(), digest.toString(), locked.subject(), effects);
            return true;
        });
    }

    @Override
    public boolean deleteTag(RepositoryName repository, String tag) {
        return db.queueing((c, effects) -> {
            Tags.Deleted deleted = Tags.delete(c, repository, tag, null);
            if (deleted != null) {
                effects.changed(new MetadataChange.Tag(repository, tag));
                effects.manifests(Manifests.queueWithSubject(c, deleted.repositoryId(), deleted.manifest(), Reviews.Event.TAG_DELETE));
            }
            return deleted != null;
        });
    }

    @Override
    public boolean repositoryExists(RepositoryName repository) {
        return db.read(c -> Repositories.find(c, repository).isPresent());
    }

    @Override
    public OptionalLong blobSize(RepositoryName repository, Digest digest) {
        return reads.read(ReadKind.BLOB, repository, c -> Blobs.sizeIn(c, repository, digest), OptionalLong::isPresent);
    }

    @Override
    public boolean mountBlob(RepositoryName repository, Digest digest, RepositoryName from) {
        return db.queueing((c, effects) -> {
            if (Blobs.lockedSizeIn(c, from, digest).isEmpty() || !Blobs.link(c, Repositories.ensure(c, repository), digest)) {
                return false;
            }
            effects.changed(new MetadataChange.BlobLink(repository, digest));
            effects.blobs(Reviews.blobs(c, List.of(digest.toString()), Reviews.Event.BLOB_MOUNT));
            return true;
        });
    }

    @Override
    public boolean quarantineBlob(Digest digest) {
        return db.queueing((c, effects) -> {
            Deletions.lock(c, digest.toString());
            if (Deletions.beingWritten(c, digest.toString()) || !Blobs.quarantine(c, digest)) {
                return false;
            }
            effects.changed(new MetadataChange.Blob(digest));
            Deletions.claim(c, digest.toString(), "quarantined");
            return true;
        });
    }

    @Override
    public boolean blobQuarantined(Digest digest) {
        return db.read(c -> Blobs.quarantined(c, digest));
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest digest) {
        return db.queueing((c, effects) -> {
            boolean unlinked = DigestTable.BLOBS.delete(c, repository, digest);
            if (unlinked) {
                effects.changed(new MetadataChange.BlobLink(repository, digest));
                effects.blobs(Reviews.blobs(c, List.of(digest.toString()), Reviews.Event.BLOB_UNLINK));
            }
            return unlinked;
        });
    }

    @Override
    public Optional<Page> tags(RepositoryName repository, String last, int limit) {
        return reads.read(ReadKind.TAGS, repository, c -> {
            OptionalLong id = Repositories.find(c, repository);
            return id.isEmpty() ? Optional.empty() : Optional.of(Tags.page(c, id.getAsLong(), last, limit));
        });
    }

    @Override
    public Page catalog(String last, int limit) {
        return limit == 0 ? Page.EMPTY : reads.read(ReadKind.CATALOG, null, c -> Repositories.page(c, last, limit));
    }

    @Override
    public List<Referrer> referrers(RepositoryName repository, Digest subject, String artifactType) {
        return reads.read(ReadKind.REFERRERS, repository, c -> Manifests.referrers(c, repository, subject, artifactType));
    }

    @Override
    public void ping() {
        db.read(c -> {
            try (var s = c.createStatement()) {
                return s.execute("SELECT 1");
            }
        });
    }

    @Override
    public long lastSuccessNanos() {
        return db.lastSuccessNanos();
    }
}
