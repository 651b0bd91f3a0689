package io.regfleet.registry.service;

import io.regfleet.registry.blob.BlobContent;
import io.regfleet.registry.blob.BlobNotFoundException;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.metadata.Blobs;
import io.regfleet.registry.metadata.Database;
import io.regfleet.registry.metadata.Repositories;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Blob existence, reads, mounts and deletes. The database says what exists; the store serves the bytes. */
@ApplicationScoped
public class BlobService {
    private static final Logger LOG = Logger.getLogger(BlobService.class);
    private final Database db;
    private final BlobStore store;

    public BlobService(Database db, BlobStore store) {
        this.db = db;
        this.store = store;
    }

    /** The blob's size in this repository; BLOB_UNKNOWN otherwise. */
    public long size(RepositoryName repository, Digest digest) {
        return db.read(c -> Blobs.sizeIn(c, repository, digest))
                .orElseThrow(() -> RegistryException.blobUnknown(digest));
    }

    /** The bytes to send; the database connection is already back in the pool. */
    public BlobContent open(Digest digest, long offset, long length) {
        try {
            return store.open(digest, offset, length);
        } catch (BlobNotFoundException e) {
            LOG.errorf("blob %s is recorded in PostgreSQL but missing from the blob store", digest);
            throw RegistryException.blobUnknown(digest);
        }
    }

    /** Links a blob another repository holds; false when {@code from} does not hold it (the caller falls back to an upload). */
    public boolean mount(RepositoryName repository, Digest digest, RepositoryName from) {
        return db.transaction(c -> {
            if (Blobs.sizeIn(c, from, digest).isEmpty()) {
                return false;
            }
            long repositoryId = Repositories.ensure(c, repository);
            return Blobs.link(c, repositoryId, digest);
        });
    }

    /** Removes the blob from the repository. Its bytes stay while any repository may still reference them. */
    public void delete(RepositoryName repository, Digest digest) {
        if (!db.transaction(c -> Blobs.unlink(c, repository, digest))) {
            throw RegistryException.blobUnknown(digest);
        }
    }
}
