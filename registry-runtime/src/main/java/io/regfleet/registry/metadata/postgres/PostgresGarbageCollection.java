package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.QueueSizes;
import io.regfleet.registry.metadata.ReviewQueue;
import io.regfleet.registry.metadata.Reviewed;
import io.regfleet.registry.metadata.TagRecord;
import io.regfleet.registry.metadata.UntaggedManifests;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * The collector on PostgreSQL. How a review and a concurrent push cannot both win (READ COMMITTED throughout):
 * <ul>
 *   <li>A push locks every row its manifest depends on (referenced blobs, index entries, subject, the manifest
 *       itself) with FOR KEY SHARE before it writes its references. A review locks its candidate's row with
 *       FOR UPDATE SKIP LOCKED, which conflicts, and only then looks for references, in later statements that see
 *       everything committed before the lock was granted. So either the push holds the row (the review skips it and
 *       postpones the candidate), or the review holds it (the push waits, and finds the row gone or still there).
 *   <li>Queueing is an upsert on the candidate's queue row, which the review holds from its claim to its commit: an
 *       event during a review waits and then queues the candidate again.
 *   <li>A review never waits on API work (SKIP LOCKED, advisory locks only tried, lock_timeout on its own
 *       upserts), so it cannot hold a push up for longer than its own short transaction.
 * </ul>
 */
@ApplicationScoped
public class PostgresGarbageCollection implements GarbageCollection {
    /** How long a review waits for a lock the API holds before it gives up (and tries again later). */
    private static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '500ms'";
    private final Database db;

    PostgresGarbageCollection(Database db) {
        this.db = db;
    }

    @Override
    public Reviewed reviewBlobs(Duration delay, int limit) {
        return db.queueing((c, effects) -> {
            yieldingLocks(c);
            Outcomes outcomes = new Outcomes();
            for (Reviews.BlobClaim claim : Reviews.claimBlobs(c, seconds(delay), limit)) {
                reviewBlob(c, claim.digest(), outcomes, effects);
            }
            return outcomes.reviewed();
        });
    }

    private static void reviewBlob(Connection c, String digest, Outcomes outcomes, Effects effects) throws SQLException {
        OptionalLong size = Deletions.tryLock(c, digest) ? lockBlob(c, digest) : OptionalLong.of(-1);
        if (size.isEmpty()) { // no row: collected already
            Reviews.dropBlob(c, digest);
            outcomes.kept++;
            return;
        }
        if (size.getAsLong() < 0 || Deletions.beingWritten(c, digest) || Deletions.pending(c, digest)) {
            Reviews.postponeBlob(c, digest);
            outcomes.postponed++;
            return;
        }
        int unlinked = Sql.count(c, """
                DELETE FROM repository_blob rb WHERE rb.digest = ? AND NOT EXISTS
                    (SELECT 1 FROM manifest_blob mb WHERE mb.blob_digest = rb.digest AND mb.repository_id = rb.repository_id)""",
                digest);
        outcomes.unlinked += unlinked;
        if (unlinked > 0) {
            effects.changed(new MetadataChange.Blob(Digest.parse(digest)));
        }
        Reviews.dropBlob(c, digest);
        if (References.blobReferenced(c, digest)) {
            outcomes.kept++;
            return;
        }
        Sql.changes(c, "DELETE FROM blob WHERE digest = ?", digest);
        Deletions.claim(c, digest, "collected");
        effects.changed(new MetadataChange.Blob(Digest.parse(digest)));
        outcomes.blobs.add(new Reviewed.CollectedBlob(Digest.parse(digest), size.getAsLong()));
        outcomes.collected++;
    }

    /** The blob's size with its row locked (FOR UPDATE); empty when there is no row, -1 when a push holds it. */
    private static OptionalLong lockBlob(Connection c, String digest) throws SQLException {
        try (var s = c.prepareStatement("SELECT size FROM blob WHERE digest = ? FOR UPDATE SKIP LOCKED")) {
            s.setString(1, digest);
            try (var rs = s.executeQuery()) {
                if (rs.next()) {
                    return OptionalLong.of(rs.getLong(1));
                }
            }
        }
        return References.exists(c, "SELECT 1 FROM blob WHERE digest = ?", digest) ? OptionalLong.of(-1)
                : OptionalLong.empty();
    }

    @Override
    public Reviewed reviewManifests(Duration delay, UntaggedManifests untagged, int limit) {
        Outcomes outcomes = new Outcomes();
        db.queueing((c, effects) -> {
            yieldingLocks(c);
            for (Reviews.ManifestClaim claim : Reviews.claimManifests(c, seconds(delay), seconds(untagged.after()), limit)) {
                reviewManifest(c, claim, untagged, outcomes, effects);
            }
            return null;
        });
        return outcomes.reviewed();
    }

    private static void reviewManifest(Connection c, Reviews.ManifestClaim claim, UntaggedManifests untagged,
                                       Outcomes outcomes, Effects effects) throws SQLException {
        long repositoryId = claim.repositoryId();
        String digest = claim.digest();
        Manifests.Locked locked = untagged.collect() ? Manifests.lock(c, repositoryId, digest, "FOR UPDATE SKIP LOCKED")
                : null;
        if (untagged.collect() && locked == null) { // a push or a delete holds it right now
            Reviews.postponeManifest(c, repositoryId, digest);
            outcomes.postponed++;
        } else if (locked == null || References.manifestHeld(c, repositoryId, digest, locked.subject())) {
            Reviews.dropManifest(c, repositoryId, digest);
            outcomes.kept++;
        } else if (!claim.oldEnough()) {
            Reviews.postponeManifestUntil(c, repositoryId, digest, seconds(untagged.after()));
            outcomes.postponed++;
        } else {
            Manifests.deleteLocked(c, repositoryId, digest, locked.subject(), effects);
            outcomes.collected++;
        }
    }

    @Override
    public List<Digest> claimOrphans(Collection<Digest> stored) {
        if (stored.isEmpty()) {
            return List.of();
        }
        return db.transaction(c -> {
            yieldingLocks(c);
            List<Digest> claimed = new ArrayList<>();
            for (String digest : Deletions.unrecorded(c, stored)) {
                // checked again under the digest's lock: an upload may have begun committing it since
                if (Deletions.tryLock(c, digest) && !Deletions.unrecorded(c, List.of(Digest.parse(digest))).isEmpty()) {
                    Deletions.claim(c, digest, "orphan");
                    claimed.add(Digest.parse(digest));
                }
            }
            return claimed;
        });
    }

    @Override
    public List<Digest> staleDeletions(Duration age, int limit) {
        return db.read(c -> Deletions.stale(c, seconds(age), limit));
    }

    @Override
    public void deletionsDone(Collection<Digest> digests) {
        if (!digests.isEmpty()) {
            db.transaction(c -> {
                Deletions.done(c, digests);
                return null;
            });
        }
    }

    @Override
    public QueueSizes queueSizes() {
        long[] sizes = db.read(Reviews::sizes);
        return new QueueSizes(sizes[0], sizes[1], sizes[2]);
    }

    @Override
    public long queuedTotal(ReviewQueue queue) {
        return db.queued(queue);
    }

    @Override
    public List<TagRecord> tagRecords(RepositoryName repository) {
        return db.read(c -> {
            OptionalLong id = Repositories.find(c, repository);
            return id.isEmpty() ? List.of() : Tags.records(c, id.getAsLong());
        });
    }

    @Override
    public boolean deleteTagIfUnchanged(RepositoryName repository, TagRecord tag) {
        return db.queueing((c, effects) -> {
            Tags.Deleted deleted = Tags.delete(c, repository, tag.name(), tag);
            if (deleted != null) {
                effects.changed(new MetadataChange.Tag(repository, tag.name()));
                effects.manifests(Manifests.queueWithSubject(c, deleted.repositoryId(), deleted.manifest(),
                        Reviews.Event.TAG_DELETE));
            }
            return deleted != null;
        });
    }

    private static void yieldingLocks(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(LOCK_TIMEOUT);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** What a batch decided so far. */
    private static final class Outcomes {
        int collected;
        int kept;
        int postponed;
        int unlinked;
        final List<Reviewed.CollectedBlob> blobs = new ArrayList<>();

        Reviewed reviewed() {
            return new Reviewed(collected, kept, postponed, unlinked, blobs);
        }
    }
}
