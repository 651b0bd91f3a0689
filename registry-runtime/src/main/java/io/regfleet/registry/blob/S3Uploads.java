package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The uploads of the S3 driver. An upload lives under its folder (see {@link S3Keys}): every full part of
 * {@code partSize} bytes is an object {@code part-<n>}, and the remainder (fewer than {@code partSize} bytes) is the
 * object {@code tail-<offset>}, so the next append may run on another replica: it reads the tail back, tops it up to a
 * part, and so on. Parts are plain objects rather than parts of a pending multipart upload because S3 cannot read the
 * parts of an incomplete multipart upload, and {@link #read} must. The commit assembles the blob with one multipart
 * upload directly on the blob's key: server-side copies of the part objects (UploadPartCopy, conditional on their
 * recorded ETags), the tail as the last part. An upload with no full part is written with a single PutObject and
 * never needs a multipart upload.
 *
 * <p>An append never rewrites the bytes the state it starts from refers to: new parts get new numbers, and a tail
 * rewritten at the same offset starts with the old tail's bytes, which are read back by range. So an append that fails
 * midway, or whose new state is lost, leaves the previous state usable; part ETags recorded in the state guard against
 * anything else. Commit and abort delete everything under the upload's folder.
 */
final class S3Uploads {
    private final S3Objects objects;
    private final S3Keys keys;
    private final long partSize;
    private final BufferPool buffers = BufferPool.SHARED;

    /** @param partSize bytes per part of new uploads (an upload keeps the part size it started with) */
    S3Uploads(S3Objects objects, S3Keys keys, long partSize) {
        this.objects = objects;
        this.keys = keys;
        this.partSize = partSize;
    }

    UploadState begin() {
        return UploadState.empty(S3UploadProgress.empty(partSize).encode());
    }

    UploadState append(String uploadId, UploadState state, InputStream data) {
        S3UploadProgress progress = S3UploadProgress.of(state, partSize);
        try (PartBuffer buffer = new PartBuffer(progress.partSize(), buffers)) {
            if (progress.tailSize() > 0) {
                loadTail(uploadId, progress, buffer);
            }
            List<String> parts = new ArrayList<>(progress.partETags());
            long appended = 0;
            while (true) {
                appended += buffer.fill(data);
                if (!buffer.isFull()) {
                    break;
                }
                if (parts.size() + 1 >= S3BlobStore.MAX_PARTS) { // the tail needs a part too
                    throw new IllegalArgumentException("upload " + uploadId + " outgrows S3's " + S3BlobStore.MAX_PARTS
                            + " parts of " + progress.partSize() + " bytes: raise regfleet.storage.s3.part-size");
                }
                int number = parts.size() + 1;
                parts.add(objects.put(keys.part(uploadId, number), buffer.body(),
                        "store part " + number + " of upload " + uploadId));
                buffer.clear();
            }
            if (appended == 0) {
                return state;
            }
            if (buffer.size() > 0) {
                long tailOffset = parts.size() * progress.partSize();
                objects.put(keys.tail(uploadId, tailOffset), buffer.body(), "store the tail of upload " + uploadId);
            }
            var next = new S3UploadProgress(progress.partSize(), parts, buffer.size());
            return new UploadState(next.size(), next.encode());
        }
    }

    InputStream read(String uploadId, UploadState state) {
        S3UploadProgress progress = S3UploadProgress.of(state, partSize);
        String action = "read upload " + uploadId;
        List<Supplier<InputStream>> pieces = new ArrayList<>();
        for (int i = 0; i < progress.partETags().size(); i++) {
            String key = keys.part(uploadId, i + 1);
            String eTag = progress.partETags().get(i);
            pieces.add(() -> objects.read(key, b -> b.ifMatch(eTag), progress.partSize(), action));
        }
        if (progress.tailSize() > 0) {
            String key = keys.tail(uploadId, progress.tailOffset());
            pieces.add(() -> objects.readStart(key, progress.tailSize(), action));
        }
        return new ConcatenatedInputStream(pieces);
    }

    void commit(String uploadId, UploadState state, Digest digest) {
        S3UploadProgress progress = S3UploadProgress.of(state, partSize);
        String key = keys.blob(digest);
        if (objects.size(key, "look for " + digest).isEmpty()) {
            if (progress.partETags().isEmpty()) {
                try (PartBuffer tail = new PartBuffer(progress.partSize(), buffers)) {
                    if (progress.tailSize() > 0) {
                        loadTail(uploadId, progress, tail);
                    }
                    objects.put(key, tail.body(), "store " + digest);
                }
            } else {
                assemble(uploadId, progress, key);
            }
            long stored = objects.size(key, "check " + digest).orElse(-1);
            if (stored != state.size()) {
                objects.delete(key, "delete the bad " + digest);
                throw new BlobStoreException("committing upload " + uploadId + " stored " + stored + " bytes instead of "
                        + state.size(), null);
            }
        }
        abort(uploadId);
    }

    /** Deletes the upload's objects. */
    void abort(String uploadId) {
        objects.deleteAll(keys.uploadFolder(uploadId), "delete the objects of upload " + uploadId);
    }

    /** One multipart upload on the blob's key: the part objects copied server-side, then the tail uploaded. */
    private void assemble(String uploadId, S3UploadProgress progress, String key) {
        S3MultipartUpload multipart = objects.startMultipart(key, "start assembling upload " + uploadId);
        try {
            for (int i = 0; i < progress.partETags().size(); i++) {
                int number = i + 1;
                multipart.copyPart(keys.part(uploadId, number), progress.partETags().get(i),
                        "copy part " + number + " of upload " + uploadId);
            }
            if (progress.tailSize() > 0) {
                try (PartBuffer tail = new PartBuffer(progress.partSize(), buffers)) {
                    loadTail(uploadId, progress, tail);
                    multipart.uploadPart(tail.body(), "upload the tail of upload " + uploadId);
                }
            }
            multipart.complete("complete upload " + uploadId);
        } catch (RuntimeException e) {
            multipart.abortAfter(e);
            throw e;
        }
    }

    /** Reads the tail's recorded bytes into the (empty) buffer. */
    private void loadTail(String uploadId, S3UploadProgress progress, PartBuffer buffer) {
        String action = "read the tail of upload " + uploadId;
        try (InputStream tail = objects.readStart(keys.tail(uploadId, progress.tailOffset()), progress.tailSize(),
                action)) {
            buffer.fill(tail);
        } catch (IOException | UncheckedIOException e) {
            throw new BlobStoreException("cannot " + action, e);
        }
        if (buffer.size() != progress.tailSize()) {
            throw new BlobStoreException("the tail of upload " + uploadId + " holds " + buffer.size()
                    + " bytes, fewer than the " + progress.tailSize() + " recorded", null);
        }
    }
}
