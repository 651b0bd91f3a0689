package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Blobs as S3 objects {@code <prefix>blobs/<alg>/<hex>}.
 *
 * <p>An upload lives under {@code <prefix>uploads/<id>/}: every full part of {@code partSize} bytes is an object
 * {@code part-<n>}, and the remainder (fewer than {@code partSize} bytes) is the object {@code tail-<offset>}, so the
 * next append may run on another replica: it reads the tail back, tops it up to a part, and so on. Parts are plain
 * objects rather than parts of a pending multipart upload because S3 cannot read the parts of an incomplete multipart
 * upload, and {@link #readUpload} must. The commit assembles the blob with one multipart upload directly on the blob's
 * key: server-side copies of the part objects (UploadPartCopy, conditional on their recorded ETags), the tail as the
 * last part. An upload with no full part is written with a single PutObject and never needs a multipart upload.
 *
 * <p>An append never rewrites the bytes the state it starts from refers to: new parts get new numbers, and a tail
 * rewritten at the same offset starts with the old tail's bytes, which are read back by range. So an append that fails
 * midway, or whose new state is lost, leaves the previous state usable; part ETags recorded in the state guard against
 * anything else. Commit and abort delete everything under the upload's folder.
 */
public final class S3BlobStore implements BlobStore {
    /** S3's smallest part (except the last). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** S3's most parts in a multipart upload. */
    public static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final long partSize;
    private final BufferPool buffers = BufferPool.SHARED;

    /**
     * @param prefix a key prefix ("" for none); a missing trailing slash is added
     * @param partSize bytes per part of new uploads, from 5 MiB to 5 GiB
     */
    public S3BlobStore(S3Client s3, String bucket, String prefix, long partSize) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("an S3 bucket is required");
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("the S3 part size must lie between " + MIN_PART_SIZE + " and "
                    + MAX_PART_SIZE + " bytes, not " + partSize);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = normalizedPrefix(prefix);
        this.partSize = partSize;
    }

    private static String normalizedPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    @Override
    public OptionalLong size(Digest digest) {
        return sizeOf(blobKey(digest), "read the size of " + digest);
    }

    @Override
    public BlobContent open(Digest digest, long offset, long length) {
        BlobRange.requireNonNegative(offset, length);
        String key = blobKey(digest);
        if (length == 0) { // no byte range can express an empty range
            long size = size(digest).orElseThrow(() -> new BlobNotFoundException(digest));
            BlobRange.requireWithin(offset, length, size);
            return new BlobContent.Stream(InputStream.nullInputStream(), 0);
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(key).range(byteRange(offset, length)));
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(digest);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new BlobNotFoundException(digest);
            }
            if (e.statusCode() == 416) {
                throw BlobRange.beyond(offset, length, size(digest).orElse(0));
            }
            throw new BlobStoreException("cannot read " + digest, e);
        } catch (SdkException e) {
            throw new BlobStoreException("cannot read " + digest, e);
        }
        Long served = in.response().contentLength();
        if (served == null || served != length) { // S3 shortens a range that runs past the end
            in.abort();
            throw BlobRange.beyond(offset, length, served == null ? size(digest).orElse(0) : offset + served);
        }
        return new BlobContent.Stream(new BoundedInputStream(in, length, in::abort), length);
    }

    @Override
    public boolean delete(Digest digest) {
        String key = blobKey(digest);
        if (sizeOf(key, "delete " + digest).isEmpty()) {
            return false;
        }
        call("delete " + digest, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        return true;
    }

    @Override
    public UploadState beginUpload(String uploadId) {
        UploadIds.requireValid(uploadId);
        return UploadState.empty(S3UploadProgress.empty(partSize).encode());
    }

    @Override
    public UploadState append(String uploadId, UploadState state, InputStream data) {
        UploadIds.requireValid(uploadId);
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
                if (parts.size() + 1 >= MAX_PARTS) { // the tail needs a part too
                    throw new IllegalArgumentException("upload " + uploadId + " outgrows S3's " + MAX_PARTS
                            + " parts of " + progress.partSize() + " bytes: raise regfleet.storage.s3.part-size");
                }
                parts.add(putPart(uploadId, parts.size() + 1, buffer.body()));
                buffer.clear();
            }
            if (appended == 0) {
                return state;
            }
            if (buffer.size() > 0) {
                long tailOffset = parts.size() * progress.partSize();
                String key = tailKey(uploadId, tailOffset);
                RequestBody body = buffer.body();
                call("store the tail of upload " + uploadId, () -> s3.putObject(b -> b.bucket(bucket).key(key), body));
            }
            var next = new S3UploadProgress(progress.partSize(), parts, buffer.size());
            return new UploadState(next.size(), next.encode());
        }
    }

    @Override
    public InputStream readUpload(String uploadId, UploadState state) {
        UploadIds.requireValid(uploadId);
        S3UploadProgress progress = S3UploadProgress.of(state, partSize);
        List<Supplier<InputStream>> pieces = new ArrayList<>();
        for (int i = 0; i < progress.partETags().size(); i++) {
            String key = partKey(uploadId, i + 1);
            String eTag = progress.partETags().get(i);
            pieces.add(() -> getObject(key, b -> b.ifMatch(eTag), progress.partSize(), "read upload " + uploadId));
        }
        if (progress.tailSize() > 0) {
            String key = tailKey(uploadId, progress.tailOffset());
            pieces.add(() -> getObject(key, b -> b.range(byteRange(0, progress.tailSize())), progress.tailSize(),
                    "read upload " + uploadId));
        }
        return new ConcatenatedInputStream(pieces);
    }

    @Override
    public void commitUpload(String uploadId, UploadState state, Digest digest) {
        UploadIds.requireValid(uploadId);
        S3UploadProgress progress = S3UploadProgress.of(state, partSize);
        String key = blobKey(digest);
        if (sizeOf(key, "look for " + digest).isEmpty()) {
            if (progress.partETags().isEmpty()) {
                try (PartBuffer tail = new PartBuffer(progress.partSize(), buffers)) {
                    if (progress.tailSize() > 0) {
                        loadTail(uploadId, progress, tail);
                    }
                    RequestBody body = tail.body();
                    call("store " + digest, () -> s3.putObject(b -> b.bucket(bucket).key(key), body));
                }
            } else {
                assemble(uploadId, progress, key);
            }
            long stored = sizeOf(key, "check " + digest).orElse(-1);
            if (stored != state.size()) {
                call("delete the bad " + digest, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
                throw new BlobStoreException("committing upload " + uploadId + " stored " + stored + " bytes instead of "
                        + state.size(), null);
            }
        }
        deleteUploadObjects(uploadId);
    }

    @Override
    public void abortUpload(String uploadId, UploadState state) {
        UploadIds.requireValid(uploadId);
        deleteUploadObjects(uploadId);
    }

    /** One multipart upload on the blob's key: the part objects copied server-side, then the tail uploaded. */
    private void assemble(String uploadId, S3UploadProgress progress, String key) {
        String multipartId = call("start assembling upload " + uploadId,
                () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId());
        try {
            List<CompletedPart> completed = new ArrayList<>();
            for (int i = 0; i < progress.partETags().size(); i++) {
                int number = i + 1;
                String source = partKey(uploadId, number);
                String eTag = progress.partETags().get(i);
                String copied = call("copy part " + number + " of upload " + uploadId, () -> s3.uploadPartCopy(b -> b
                        .sourceBucket(bucket).sourceKey(source).copySourceIfMatch(eTag)
                        .destinationBucket(bucket).destinationKey(key).uploadId(multipartId).partNumber(number))
                        .copyPartResult().eTag());
                completed.add(CompletedPart.builder().partNumber(number).eTag(copied).build());
            }
            if (progress.tailSize() > 0) {
                int number = completed.size() + 1;
                try (PartBuffer tail = new PartBuffer(progress.partSize(), buffers)) {
                    loadTail(uploadId, progress, tail);
                    RequestBody body = tail.body();
                    String uploaded = call("upload the tail of upload " + uploadId, () -> s3.uploadPart(b -> b
                            .bucket(bucket).key(key).uploadId(multipartId).partNumber(number), body).eTag());
                    completed.add(CompletedPart.builder().partNumber(number).eTag(uploaded).build());
                }
            }
            call("complete upload " + uploadId, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                    .uploadId(multipartId).multipartUpload(m -> m.parts(completed))));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(multipartId));
            } catch (SdkException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    private String putPart(String uploadId, int number, RequestBody body) {
        String key = partKey(uploadId, number);
        return call("store part " + number + " of upload " + uploadId,
                () -> s3.putObject(b -> b.bucket(bucket).key(key), body).eTag());
    }

    /** Reads the tail's recorded bytes into the (empty) buffer. */
    private void loadTail(String uploadId, S3UploadProgress progress, PartBuffer buffer) {
        String key = tailKey(uploadId, progress.tailOffset());
        String action = "read the tail of upload " + uploadId;
        try (InputStream tail = getObject(key, b -> b.range(byteRange(0, progress.tailSize())), progress.tailSize(),
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

    /** A stream of exactly {@code length} bytes of an object (fails if the object has fewer). */
    private InputStream getObject(String key, Consumer<GetObjectRequest.Builder> options, long length, String action) {
        ResponseInputStream<GetObjectResponse> in = call(action,
                () -> s3.getObject(b -> options.accept(b.bucket(bucket).key(key))));
        return new BoundedInputStream(in, length, in::abort);
    }

    private void deleteUploadObjects(String uploadId) {
        String folder = uploadFolder(uploadId);
        call("delete the objects of upload " + uploadId, () -> {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder))) {
                List<ObjectIdentifier> keys = page.contents().stream()
                        .map(S3Object::key).map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                if (!keys.isEmpty()) {
                    var result = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                    if (result.hasErrors() && !result.errors().isEmpty()) {
                        throw new BlobStoreException("cannot delete " + result.errors().getFirst().key() + ": "
                                + result.errors().getFirst().message(), null);
                    }
                }
            }
            return null;
        });
    }

    private OptionalLong sizeOf(String key, String action) {
        try {
            return OptionalLong.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw new BlobStoreException("cannot " + action, e);
        } catch (SdkException e) {
            throw new BlobStoreException("cannot " + action, e);
        }
    }

    private static <T> T call(String action, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException e) {
            throw new BlobStoreException("cannot " + action, e);
        }
    }

    private static String byteRange(long offset, long length) {
        return "bytes=" + offset + "-" + (offset + length - 1);
    }

    private String blobKey(Digest digest) {
        return prefix + "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    private String uploadFolder(String uploadId) {
        return prefix + "uploads/" + uploadId + "/";
    }

    private String partKey(String uploadId, int number) {
        return uploadFolder(uploadId) + "part-" + number;
    }

    private String tailKey(String uploadId, long offset) {
        return uploadFolder(uploadId) + "tail-" + offset;
    }
}
