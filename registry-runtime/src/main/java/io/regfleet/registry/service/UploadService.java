package io.regfleet.registry.service;

import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.UploadSession;
import io.regfleet.registry.metadata.UploadSessions;
import io.regfleet.registry.oci.ContentRange;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Blob upload sessions. The session lives in the metadata and the blob store, never in one pod's memory: any replica
 * can take the next chunk. Bytes stream to the store while the metadata is not held; a lease taken and released in
 * one short unit of work each keeps one writer at a time.
 */
@ApplicationScoped
public class UploadService {
    private static final Logger LOG = Logger.getLogger(UploadService.class);
    private final UploadSessions sessions;
    private final BlobStore store;
    private final UploadHashes hashes;
    private final LeaseRenewals renewals;
    private final RegistryConfig config;
    private final BlobTraffic traffic;

    public UploadService(UploadSessions sessions, BlobStore store, UploadHashes hashes, LeaseRenewals renewals,
                         RegistryConfig config, BlobTraffic traffic) {
        this.traffic = traffic;
        this.sessions = sessions;
        this.store = store;
        this.hashes = hashes;
        this.renewals = renewals;
        this.config = config;
    }

    /** Opens a session. */
    public UploadSession start(RepositoryName repository) {
        String id = UUID.randomUUID().toString();
        UploadState state = store.beginUpload(id);
        try {
            UploadSession session = sessions.create(repository, id, state);
            hashes.keep(id, 0, Digest.newSha256());
            return session;
        } catch (RuntimeException e) {
            store.abortUpload(id, state);
            throw e;
        }
    }

    public UploadSession status(RepositoryName repository, String uploadId) {
        return sessions.find(repository, uploadId).orElseThrow(() -> RegistryException.uploadUnknown(uploadId));
    }

    /**
     * Appends a chunk: the session is found and leased in one step, the bytes streamed, then the session advanced
     * (and the lease dropped) in one more.
     *
     * @param range         the chunk's Content-Range, or null for a streamed chunk that continues where the upload is
     * @param contentLength the request's Content-Length, or -1 when not given
     */
    public UploadSession append(RepositoryName repository, String uploadId, ContentRange range, long contentLength,
                                InputStream body) {
        String owner = leaseOwner();
        UploadSession session = lease(repository, uploadId, range, contentLength, owner);
        Written written = write(session, owner, range, body);
        if (!sessions.advance(uploadId, owner, written.after())) {
            throw new UploadRangeException(uploadId, session.state().size(),
                    "the write lease expired while the chunk was streaming");
        }
        written.keepHasher(hashes, uploadId); // only once recorded: another writer may have taken a lapsed lease
        return new UploadSession(uploadId, session.repository(), written.after());
    }

    /**
     * Completes an upload: the optional last chunk, the digest check, then the blob is visible in the repository.
     * A digest that does not match leaves nothing visible and ends the session. The last chunk's size is recorded
     * with the commit's claim, in one unit.
     */
    public Digest complete(RepositoryName repository, String uploadId, Digest expected, ContentRange range,
                           long contentLength, InputStream lastChunk) {
        String owner = leaseOwner();
        UploadSession session = lease(repository, uploadId, range, contentLength, owner);
        boolean released = false;
        try (LeaseRenewals.Kept kept = renewals.keep(uploadId, owner, System::nanoTime)) {
            MessageDigest running;
            if (contentLength != 0) {
                Written written = write(session, owner, range, lastChunk);
                running = written.hasher(); // over every byte, the last chunk's included (or null: none was kept)
                session = new UploadSession(uploadId, session.repository(), written.after());
            } else {
                running = hashes.take(uploadId, session.state().size());
            }
            UploadState state = session.state();
            if (!expected.matches(hasherFor(uploadId, state, expected, running))) {
                discard(session);
                released = true;
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "uploaded content does not match the digest",
                        Map.of("digest", expected.toString()));
            }
            claimCommit(session, owner, expected);
            store.commitUpload(uploadId, state, expected);
            sessions.complete(session, expected);
            released = true;
            hashes.forget(uploadId);
            return expected;
        } finally {
            if (!released) {
                releaseQuietly(uploadId, owner);
            }
        }
    }

    /** About two seconds of waiting, in growing steps, for a deletion of the same digest to finish. */
    private static final int COMMIT_ATTEMPTS = 14;

    /**
     * Claims the writing of the digest's bytes before they go to the store, so that no collector deletes them
     * between the store's commit and the blob's row. A deletion of earlier bytes of the same digest in progress is
     * waited for (it takes one delete call); one that outlasts the wait is answered 503, to retry.
     */
    private void claimCommit(UploadSession session, String owner, Digest digest) {
        for (int attempt = 1; ; attempt++) {
            UploadSessions.CommitClaim claim = sessions.beginCommit(session, owner, digest);
            if (claim == UploadSessions.CommitClaim.CLAIMED) {
                return;
            }
            if (claim == UploadSessions.CommitClaim.LEASE_LOST) {
                throw new UploadRangeException(session.id(), status(new RepositoryName(session.repository()),
                        session.id()).state().size(), "the write lease expired while the upload was completing");
            }
            if (attempt == COMMIT_ATTEMPTS) {
                throw new RegistryException(ErrorCode.UNAVAILABLE, "the blob's previous bytes are being deleted");
            }
            try {
                Thread.sleep(20L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(ErrorCode.UNAVAILABLE, "interrupted");
            }
        }
    }

    /** Cancels a session and drops its bytes. */
    public void cancel(RepositoryName repository, String uploadId) {
        discard(status(repository, uploadId));
    }

    /** Drops up to {@code limit} sessions untouched for longer than the expiry, with their bytes; returns how many. */
    public int discardAbandoned(int limit) {
        List<UploadSession> abandoned = sessions.abandoned(config.upload().expiry(), limit);
        abandoned.forEach(this::discard);
        return abandoned.size();
    }

    /** Ends a session and drops its bytes. */
    private void discard(UploadSession session) {
        hashes.forget(session.id());
        store.abortUpload(session.id(), session.state());
        sessions.delete(session.id());
    }

    /**
     * Finds and leases the session in one step, at the chunk's start when it names one. When that fails, the session
     * is read to say why: unknown (404), at another offset (416, a stale or replayed chunk), or held by a live writer
     * (503, retry from the same offset).
     */
    private UploadSession lease(RepositoryName repository, String id, ContentRange range, long contentLength,
                                String owner) {
        if (range != null && contentLength >= 0 && contentLength != range.length()) {
            throw new UploadRangeException(id, status(repository, id).state().size(),
                    "Content-Range length " + range.length() + " differs from Content-Length " + contentLength);
        }
        OptionalLong at = range == null ? OptionalLong.empty() : OptionalLong.of(range.start());
        Optional<UploadSession> leased = sessions.lease(repository, id, at, owner, config.upload().leaseDuration());
        if (leased.isPresent()) {
            return leased.get();
        }
        UploadSession now = status(repository, id);
        if (range != null && range.start() != now.state().size()) {
            throw new UploadRangeException(id, now.state().size(),
                    "chunk starts at " + range.start() + " but the upload has " + now.state().size() + " bytes");
        }
        // a live writer holds it, or a dead one whose lease has not lapsed yet: retry shortly, from the same offset
        throw new RegistryException(ErrorCode.UNAVAILABLE, "another request is writing this upload");
    }

    /** A chunk streamed into the store: the state to record, and the running hasher over every byte (or null). */
    private record Written(UploadState after, MessageDigest hasher) {
        void keepHasher(UploadHashes hashes, String uploadId) {
            if (hasher != null) {
                hashes.keep(uploadId, after.size(), hasher);
            }
        }
    }

    /** Streams the chunk into the store under the lease; the caller records the state it answers. */
    private Written write(UploadSession session, String owner, ContentRange range, InputStream body) {
        String id = session.id();
        UploadState before = session.state();
        MessageDigest hasher = hashes.take(id, before.size());
        CountingInputStream counted = new CountingInputStream(hasher == null ? body : new DigestInputStream(body, hasher));
        UploadState after;
        try (LeaseRenewals.Kept kept = renewals.keep(id, owner, counted::count)) {
            after = store.append(id, before, counted);
            traffic.stored(counted.count());
        } catch (RuntimeException e) {
            releaseQuietly(id, owner);
            throw e;
        }
        if (range != null && counted.count() != range.length()) {
            releaseQuietly(id, owner); // the store's extra bytes are ignored: the session stays at `before`
            throw new UploadRangeException(id, before.size(),
                    "chunk had " + counted.count() + " bytes but Content-Range announced " + range.length());
        }
        return new Written(after, hasher);
    }

    /** A hasher over all the upload's bytes: the running one when this replica saw them all, else rebuilt. */
    private MessageDigest hasherFor(String uploadId, UploadState state, Digest expected, MessageDigest running) {
        if (running != null && "sha256".equals(expected.algorithm())) {
            return running;
        }
        MessageDigest hasher = expected.newHasher();
        try (InputStream in = store.readUpload(uploadId, state)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                hasher.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hasher;
    }

    private void releaseQuietly(String id, String owner) {
        try {
            sessions.release(id, owner);
        } catch (RuntimeException e) {
            LOG.debugf(e, "could not release lease of upload %s; it expires by itself", id);
        }
    }

    private String leaseOwner() {
        return config.podName() + "/" + UUID.randomUUID();
    }
}
