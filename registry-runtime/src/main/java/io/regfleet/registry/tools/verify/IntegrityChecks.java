package io.regfleet.registry.tools.verify;

import io.regfleet.registry.blob.BlobNotFoundException;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.blob.BlobStoreException;
import io.regfleet.registry.metadata.Inventory.ScannedBlob;
import io.regfleet.registry.metadata.Inventory.ScannedManifest;
import io.regfleet.registry.metadata.VerifyLedger.Failure;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.service.BlobIntegrity;
import io.regfleet.registry.service.IntegrityGuard;
import io.regfleet.registry.service.VerifyingInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One item's check (of verify, and of an import's proof), with the registry's own verification: a manifest through the {@link IntegrityGuard} every read
 * goes through, a blob's bytes (deep) through the {@link VerifyingInputStream} every verified read streams through.
 */
public final class IntegrityChecks {
    private static final int BUFFER = 256 * 1024;
    private final BlobStore blobs;
    private final IntegrityGuard guard;
    private final boolean deep;

    public IntegrityChecks(BlobStore blobs, IntegrityGuard guard, boolean deep) {
        this.blobs = blobs;
        this.guard = guard;
        this.deep = deep;
    }

    /** The failure of a manifest, or null when it is sound. */
    public Failure manifest(ScannedManifest scanned) {
        try {
            guard.verified(scanned.repository().value(), scanned.manifest());
            return null;
        } catch (RegistryException e) {
            return failure(FailureKind.MANIFEST_MISMATCH, scanned.manifest().digest().toString(),
                    scanned.repository().value(), scanned.manifest().content().length
                            + " bytes stored do not hash to the digest");
        }
    }

    /** A blob's outcome: its failure (or null) and the bytes read to hash it. */
    public record BlobOutcome(Failure failure, long bytesRead) {
    }

    /** A recorded blob: present in the blob store with its size, and (deep) its bytes hashing to its digest. */
    public BlobOutcome blob(ScannedBlob scanned) {
        String digest = scanned.digest().toString();
        if (scanned.quarantined()) {
            return new BlobOutcome(failure(FailureKind.BLOB_QUARANTINED, digest, "",
                    "quarantined after a failed read; absent until pushed again"), 0);
        }
        try {
            OptionalLong stored = blobs.size(scanned.digest());
            if (stored.isEmpty()) {
                return missing(scanned);
            }
            if (stored.getAsLong() != scanned.size()) {
                return new BlobOutcome(failure(FailureKind.BLOB_SIZE, digest, "", "the blob store holds "
                        + stored.getAsLong() + " bytes, " + scanned.size() + " recorded"), 0);
            }
            return deep ? hash(scanned) : new BlobOutcome(null, 0);
        } catch (BlobNotFoundException e) {
            return missing(scanned);
        } catch (BlobStoreException | UncheckedIOException | IllegalArgumentException e) {
            return new BlobOutcome(failure(FailureKind.BLOB_UNREADABLE, digest, "", e.getMessage()), 0);
        }
    }

    private BlobOutcome hash(ScannedBlob scanned) {
        AtomicBoolean mismatch = new AtomicBoolean();
        long size = scanned.size();
        try (InputStream in = new VerifyingInputStream(BlobIntegrity.open(blobs.open(scanned.digest(), 0, size)),
                scanned.digest(), size, () -> mismatch.set(true))) {
            byte[] buffer = new byte[BUFFER];
            while (in.read(buffer) >= 0) {
                // hashed as it streams; the end of the stream checks the digest
            }
            return new BlobOutcome(null, size);
        } catch (IOException e) {
            return new BlobOutcome(mismatch.get()
                    ? failure(FailureKind.BLOB_DIGEST, scanned.digest().toString(), "",
                    "the stored bytes do not hash to the digest")
                    : failure(FailureKind.BLOB_UNREADABLE, scanned.digest().toString(), "", e.getMessage()), size);
        }
    }

    private static BlobOutcome missing(ScannedBlob scanned) {
        return new BlobOutcome(failure(FailureKind.BLOB_MISSING, scanned.digest().toString(), "",
                "recorded (" + scanned.size() + " bytes) but absent from the blob store"), 0);
    }

    private static Failure failure(FailureKind kind, String digest, String repository, String detail) {
        return new Failure(kind.label(), digest, repository, detail);
    }
}
