package io.regfleet.registry.service;

import io.regfleet.registry.blob.BlobContent;
import io.regfleet.registry.blob.BlobNotFoundException;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Blob existence, reads, mounts and deletes. The metadata says what exists; the blob store serves the bytes. */
@ApplicationScoped
public class BlobService {
    private static final Logger LOG = Logger.getLogger(BlobService.class);
    private final MetadataStore metadata;
    private final BlobStore store;

    public BlobService(MetadataStore metadata, BlobStore store) {
        this.metadata = metadata;
        this.store = store;
    }

    /** The blob's size in this repository; BLOB_UNKNOWN otherwise. */
    public long size(RepositoryName repository, Digest digest) {
        return metadata.blobSize(repository, digest).orElseThrow(() -> RegistryException.blobUnknown(digest));
    }

    /** The bytes to send; the metadata store is no longer held. */
    public BlobContent open(Digest digest, long offset, long length) {
        try {
            return store.open(digest, offset, length);
        } catch (BlobNotFoundException e) {
            LOG.errorf("blob %s is recorded in the metadata but missing from the blob store", digest);
            throw RegistryException.blobUnknown(digest);
        }
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
