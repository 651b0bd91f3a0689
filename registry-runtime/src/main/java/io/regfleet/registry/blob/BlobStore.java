package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;

import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where blob bytes live: content-addressed, verified by the caller. PostgreSQL is the record of which blobs exist
 * and who references them; a blob store only keeps bytes. Every driver passes {@code BlobStoreContract}.
 *
 * <p>Uploads are addressed by an upload id and grow by appending in order. The driver's bookkeeping for an upload
 * travels in {@link UploadState#driverState()}, which the caller persists in PostgreSQL between requests, so the next
 * chunk may arrive at another replica. An append that fails midway must leave the upload usable from its previous
 * state (the caller retries from the state it persisted, never from a half-written one).
 */
public interface BlobStore {

    /** The size of a stored blob, or empty when the store does not hold it. */
    OptionalLong size(Digest digest);

    /**
     * The bytes {@code [offset, offset + length)} of a stored blob, in the form this driver serves best.
     *
     * @throws BlobNotFoundException when the store does not hold the blob
     */
    BlobContent open(Digest digest, long offset, long length);

    /** Removes a stored blob; true when it was there. */
    boolean delete(Digest digest);

    /**
     * Up to {@code limit} stored blobs after {@code after} (null: from the start), in the order of the text
     * {@code <algorithm>/<hex>}: a sweep walks the whole store page by page, each page starting after the last
     * blob of the one before. Uploads in progress are not listed; a name that is not a digest is skipped.
     */
    List<StoredBlob> list(Digest after, int limit);

    /** Prepares an empty upload. */
    UploadState beginUpload(String uploadId);

    /** Appends {@code data} (read to its end) after the {@code state.size()} bytes already written. */
    UploadState append(String uploadId, UploadState state, InputStream data);

    /** The bytes written so far, from the start: used to rebuild a digest when a replica did not see every chunk. */
    InputStream readUpload(String uploadId, UploadState state);

    /**
     * Makes the upload's bytes the blob {@code digest} (already verified by the caller) and releases the upload.
     * Atomic: readers see the whole blob or none. When the blob exists already, the upload is simply discarded.
     */
    void commitUpload(String uploadId, UploadState state, Digest digest);

    /** Releases whatever the upload holds. Idempotent. */
    void abortUpload(String uploadId, UploadState state);
}
