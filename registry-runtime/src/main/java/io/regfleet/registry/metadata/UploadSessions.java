package io.regfleet.registry.metadata;

import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Upload sessions, recorded outside any pod so that any replica can take the next chunk. A writer takes a lease
 * (one unit), streams its bytes without holding the store, then advances the session and drops the lease (one more
 * unit): two writers never hold a session at once, and one whose lease expired and was taken cannot advance it.
 * Every method may throw {@link MetadataUnavailableException}.
 */
public interface UploadSessions {
    /** Opens a session in the repository (created when new), in one unit. */
    UploadSession create(RepositoryName repository, String id, UploadState state);

    /** The session, when it exists in that repository. */
    Optional<UploadSession> find(RepositoryName repository, String id);

    /**
     * Takes the write lease and answers the session as leased, in one unit: empty when the session is not in that
     * repository, is not at {@code expectedSize} (when given), or another writer holds a live lease on it. Finding
     * and leasing in one step is one round trip for every chunk instead of two.
     */
    Optional<UploadSession> lease(RepositoryName repository, String id, OptionalLong expectedSize, String owner,
                                  Duration duration);

    /**
     * Extends a lease {@code owner} holds by {@code duration} from now, while its writer is still at work; false when
     * it does not hold it any more (it lapsed and another writer took it).
     */
    boolean renew(String id, String owner, Duration duration);

    /** Records the new state and drops the lease; false when {@code owner} no longer holds it (expired and taken). */
    boolean advance(String id, String owner, UploadState state);

    /** Drops the lease without advancing (the write failed); nothing happens when {@code owner} does not hold it. */
    void release(String id, String owner);

    /** How a {@link #beginCommit} ended. */
    enum CommitClaim {
        /** The digest's bytes are claimed for this session. */
        CLAIMED,
        /** A deletion of those bytes is in progress: nothing changed; wait a moment and ask again. */
        DELETING,
        /** {@code owner} no longer holds the lease (it lapsed and another writer took it): nothing changed. */
        LEASE_LOST
    }

    /**
     * Records the session's state (its last chunk, if any) and claims the writing of blob {@code digest}'s bytes for
     * it, which is about to commit them to the blob store, in one unit, while {@code owner} holds the lease: until
     * {@link #complete} (or {@link #delete}) nothing deletes that digest's bytes.
     */
    CommitClaim beginCommit(UploadSession session, String owner, Digest digest);

    /**
     * Records the verified blob (once per digest: a blob recorded before keeps its size, and a quarantined one is
     * restored, its bytes having just been replaced by verified ones), links it to the session's
     * repository and ends the session, in one unit: the blob is visible exactly when the session is gone. The blob
     * is queued for review: a layer no manifest references is collected after the review delay.
     */
    void complete(UploadSession session, Digest digest);

    /** Ends the session (a blob it was committing is queued for review); false when it did not exist. */
    boolean delete(String id);

    /** Up to {@code limit} sessions not advanced for longer than {@code age} and not leased, least recent first. */
    List<UploadSession> abandoned(Duration age, int limit);
}
