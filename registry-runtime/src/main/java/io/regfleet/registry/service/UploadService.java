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
     * Appends a chunk.
     *
     * @param range         the chunk's Content-Range, or null for a streamed chunk that continues where the upload is
     * @param contentLength the request's Content-Length, or -1 when not given
     */
    public UploadSession append(RepositoryName repository, String uploadId, ContentRange range, long contentLength,
                                InputStream body) {
        UploadSession session = status(repository, uploadId);
        String owner = leaseOwner();
        checkRange(session, range, contentLength);
        lease(session, owner);
        return write(session, owner, range, body);
    }

    /**
     * Completes an upload: the optional last chunk, the digest check, then the blob is visible in the repository.
     * A digest that does not match leaves nothing visible and ends the session.
     */
    public Digest complete(RepositoryName repository, String uploadId, Digest expected, ContentRange range,
                           long contentLength, InputStream lastChunk) {
        UploadSession session = status(repository, uploadId);
        String owner = leaseOwner();
        checkRange(session, range, contentLength);
        lease(session, owner);
        boolean released = false;
        try (LeaseRenewals.Kept kept = renewals.keep(uploadId, owner, System::nanoTime)) {
            if (contentLength != 0) {
                session = write(session, owner, range, lastChunk);
                lease(session, owner);
            }
            UploadState state = session.state();
            if (!expected.matches(hasherFor(uploadId, state, expected))) {
                discard(session);
                released = true;
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "uploaded content does not match the digest",
                        Map.of("digest", expected.toString()));
            }
            claimCommit(session, expected);
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
    private void claimCommit(UploadSession session, Digest digest) {
        for (int attempt = 1; !sessions.beginCommit(session, digest); attempt++) {
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

    private void checkRange(UploadSession session, ContentRange range, long contentLength) {
        if (range == null) {
            return;
        }
        if (range.start() != session.state().size()) {
            throw new UploadRangeException(session.id(), session.state().size(),
                    "chunk starts at " + range.start() + " but the upload has " + session.state().size() + " bytes");
        }
        if (contentLength >= 0 && contentLength != range.length()) {
            throw new UploadRangeException(session.id(), session.state().size(),
                    "Content-Range length " + range.length() + " differs from Content-Length " + contentLength);
        }
    }

    private void lease(UploadSession session, String owner) {
        if (!sessions.lease(session.id(), session.state().size(), owner, config.upload().leaseDuration())) {
            UploadSession now = status(new RepositoryName(session.repository()), session.id());
            if (now.state().size() != session.state().size()) {
                throw new UploadRangeException(session.id(), now.state().size(),
                        "the upload moved on to " + now.state().size() + " bytes");
            }
            // a live writer holds it, or a dead one whose lease has not lapsed yet: retry shortly, from the same offset
            throw new RegistryException(ErrorCode.UNAVAILABLE, "another request is writing this upload");
        }
    }

    /** Streams the chunk into the store under the lease, then records the new size (and drops the lease). */
    private UploadSession write(UploadSession session, String owner, ContentRange range, InputStream body) {
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
        if (!sessions.advance(id, owner, after)) {
            throw new UploadRangeException(id, before.size(), "the write lease expired while the chunk was streaming");
        }
        if (hasher != null) {
            hashes.keep(id, after.size(), hasher);
        }
        return new UploadSession(id, session.repository(), after);
    }

    /** A hasher over all the upload's bytes: the running one when this replica saw them all, else rebuilt. */
    private MessageDigest hasherFor(String uploadId, UploadState state, Digest expected) {
        MessageDigest running = hashes.take(uploadId, state.size());
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
