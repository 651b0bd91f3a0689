package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Blobs as S3 objects {@code <prefix>blobs/<alg>/<hex>} ({@link S3Keys}); uploads as part objects assembled at commit
 * ({@link S3Uploads}, where the protocol is described).
 */
public final class S3BlobStore implements BlobStore {
    /** S3's smallest part (except the last). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** S3's most parts in a multipart upload. */
    public static final int MAX_PARTS = 10_000;

    private final S3Objects objects;
    private final S3Keys keys;
    private final S3Uploads uploads;

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
        this.objects = new S3Objects(s3, bucket);
        this.keys = S3Keys.under(prefix);
        this.uploads = new S3Uploads(objects, keys, partSize);
    }

    @Override
    public OptionalLong size(Digest digest) {
        return objects.size(keys.blob(digest), "read the size of " + digest);
    }

    @Override
    public BlobContent open(Digest digest, long offset, long length) {
        BlobRange.requireNonNegative(offset, length);
        if (length == 0) { // no byte range can express an empty range
            long size = size(digest).orElseThrow(() -> new BlobNotFoundException(digest));
            BlobRange.requireWithin(offset, length, size);
            return new BlobContent.Stream(InputStream.nullInputStream(), 0);
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = objects.getRange(keys.blob(digest), offset, length);
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
        String key = keys.blob(digest);
        if (objects.size(key, "delete " + digest).isEmpty()) {
            return false;
        }
        objects.delete(key, "delete " + digest);
        return true;
    }

    @Override
    public List<StoredBlob> list(Digest after, int limit) {
        List<StoredBlob> page = new ArrayList<>();
        String startAfter = after == null ? "" : keys.blob(after);
        while (page.size() < limit) {
            List<S3Object> objects = this.objects.listAfter(keys.blobs(), startAfter, limit, "list the blobs");
            for (S3Object object : objects) {
                Digest digest = keys.digestOf(object.key());
                if (digest != null && page.size() < limit) {
                    page.add(new StoredBlob(digest, object.size(), object.lastModified()));
                }
            }
            if (objects.size() < limit) {
                break;
            }
            startAfter = objects.getLast().key();
        }
        return page;
    }

    @Override
    public UploadState beginUpload(String uploadId) {
        UploadIds.requireValid(uploadId);
        return uploads.begin();
    }

    @Override
    public UploadState append(String uploadId, UploadState state, InputStream data) {
        UploadIds.requireValid(uploadId);
        return uploads.append(uploadId, state, data);
    }

    @Override
    public InputStream readUpload(String uploadId, UploadState state) {
        UploadIds.requireValid(uploadId);
        return uploads.read(uploadId, state);
    }

    @Override
    public void commitUpload(String uploadId, UploadState state, Digest digest) {
        UploadIds.requireValid(uploadId);
        uploads.commit(uploadId, state, digest);
    }

    @Override
    public void abortUpload(String uploadId, UploadState state) {
        UploadIds.requireValid(uploadId);
        uploads.abort(uploadId);
    }
}
