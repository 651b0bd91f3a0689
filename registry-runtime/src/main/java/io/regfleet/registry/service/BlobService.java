package io.regfleet.registry.service;

import io.regfleet.registry.blob.BlobContent;
import io.regfleet.registry.blob.BlobNotFoundException;
import io.regfleet.registry.blob.BlobRedirects;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Blob existence, reads, mounts and deletes. The metadata says what exists; the blob store serves the bytes. */
@ApplicationScoped
public class BlobService {
    private static final Logger LOG = Logger.getLogger(BlobService.class);
    private final MetadataStore metadata;
    private final BlobStore store;

    private final BlobIntegrity integrity;
    private final BlobTraffic traffic;
    private final VerifiedBlobFiles verifiedFiles;
    private final BlobRedirects redirects;
    private final boolean verifyReads;

    public BlobService(MetadataStore metadata, BlobStore store, BlobIntegrity integrity, BlobTraffic traffic,
                       VerifiedBlobFiles verifiedFiles, BlobRedirects redirects, RegistryConfig config) {
        this.redirects = redirects;
        this.verifiedFiles = verifiedFiles;
        this.metadata = metadata;
        this.traffic = traffic;
        this.store = store;
        this.integrity = integrity;
        this.verifyReads = config.blob().verifyReads();
    }

    /** The blob's size in this repository; BLOB_UNKNOWN otherwise (saying so when it is quarantined). */
    public long size(RepositoryName repository, Digest digest) {
        return metadata.blobSize(repository, digest).orElseThrow(() -> metadata.blobQuarantined(digest)
                ? new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob quarantined: its stored bytes failed verification; "
                + "push it again", Map.of("digest", digest.toString()))
                : RegistryException.blobUnknown(digest));
    }

    /**
     * The blob's size for a HEAD: BLOB_UNKNOWN without asking the store why (a HEAD's reply has no body to say it in,
     * and a push HEADs every blob it is about to upload: one query, not two).
     */
    public long sizeForHead(RepositoryName repository, Digest digest) {
        return metadata.blobSize(repository, digest).orElseThrow(() -> RegistryException.blobUnknown(digest));
    }

    /** The blob's size in this repository when the metadata store answers at once from memory; else empty. */
    public OptionalLong sizeFromMemory(RepositoryName repository, Digest digest) {
        return metadata.blobSizeInMemory(repository, digest);
    }

    /**
     * The bytes to send; the metadata store is no longer held. A whole-blob read is verified while it streams
     * (unless verification is off): bytes that do not match end the response abnormally and the blob is checked
     * again, then quarantined. A local file verified whole before and not written since goes out as a file, zero-copy
     * (see {@link VerifiedBlobFiles} for why that keeps the promise). A range cannot be verified and is served as
     * stored, zero-copy from a local file.
     */
    public BlobContent open(Digest digest, long offset, long length, long size) {
        BlobContent content;
        try {
            content = store.open(digest, offset, length);
        } catch (BlobNotFoundException e) {
            LOG.errorf("blob %s is recorded in the metadata but missing from the blob store", digest);
            throw RegistryException.blobUnknown(digest);
        } catch (IllegalArgumentException e) { // the stored bytes are shorter than the blob recorded
            integrity.failed(digest);
            throw new RegistryException(ErrorCode.INTEGRITY, "stored blob failed its integrity check and is not served",
                    Map.of("digest", digest.toString()));
        }
        traffic.sent(length);
        if (!verifyReads || offset != 0 || length != size) {
            return content;
        }
        Runnable onMatch = () -> { };
        if (content instanceof BlobContent.LocalFile file) {
            if (verifiedFiles.vouchesFor(digest, file.path())) {
                return content;
            }
            onMatch = verifiedFiles.afterVerifiedRead(digest, file.path());
        }
        return new BlobContent.Stream(new VerifyingInputStream(BlobIntegrity.open(content), digest, size,
                () -> integrity.failed(digest), onMatch), size);
    }

    /**
     * Where the client should fetch the blob's bytes instead, when the store hands reads off (S3 with redirects on);
     * else empty. Those bytes are not verified by us: the client checks the digest, as every OCI client does, and S3
     * checked their checksums when they were written.
     */
    public Optional<URI> redirect(Digest digest) {
        return redirects.location(digest);
    }

    /** Links a blob another repository holds; false when {@code from} does not hold it (the caller falls back to an upload). */
    public boolean mount(RepositoryName repository, Digest digest, RepositoryName from) {
        return metadata.mountBlob(repository, digest, from);
    }

    /** Removes the blob from the repository. Its bytes stay while any repository may still reference them. */
    public void delete(RepositoryName repository, Digest digest) {
        if (!metadata.unlinkBlob(repository, digest)) {
            throw RegistryException.blobUnknown(digest);
        }
    }
}
