package io.regfleet.registry.blob;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The objects of one bucket, as the S3 driver uses them. A failing call surfaces as {@link BlobStoreException} whose
 * message says what was being done ({@code action}, e.g. "read upload 42").
 */
final class S3Objects {
    private final S3Client s3;
    private final String bucket;

    S3Objects(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The object's size, or empty when there is no such object. */
    OptionalLong size(String key, String action) {
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

    /** The bytes {@code [offset, offset + length)} of an object, as S3 answers (the caller handles its errors). */
    ResponseInputStream<GetObjectResponse> getRange(String key, long offset, long length) {
        return s3.getObject(b -> b.bucket(bucket).key(key).range(byteRange(offset, length)));
    }

    /** A stream of exactly {@code length} bytes of an object (fails if the object has fewer). */
    InputStream read(String key, Consumer<GetObjectRequest.Builder> options, long length, String action) {
        ResponseInputStream<GetObjectResponse> in = call(action,
                () -> s3.getObject(b -> options.accept(b.bucket(bucket).key(key))));
        return new BoundedInputStream(in, length, in::abort);
    }

    /** The first {@code length} bytes of an object. */
    InputStream readStart(String key, long length, String action) {
        return read(key, b -> b.range(byteRange(0, length)), length, action);
    }

    /** Stores an object; returns its ETag. */
    String put(String key, RequestBody body, String action) {
        return call(action, () -> s3.putObject(b -> b.bucket(bucket).key(key), body).eTag());
    }

    void delete(String key, String action) {
        call(action, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    /** Deletes every object whose key starts with {@code prefix}. */
    void deleteAll(String prefix, String action) {
        call(action, () -> {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
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

    /** One page of up to {@code limit} objects under {@code prefix} whose keys sort after {@code startAfter}. */
    List<S3Object> listAfter(String prefix, String startAfter, int limit, String action) {
        return call(action, () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(limit)
                .startAfter(startAfter.isEmpty() ? null : startAfter)).contents());
    }

    /** Starts a multipart upload that will become the object {@code key}. */
    S3MultipartUpload startMultipart(String key, String action) {
        String uploadId = call(action, () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId());
        return new S3MultipartUpload(s3, bucket, key, uploadId);
    }

    static <T> T call(String action, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException e) {
            throw new BlobStoreException("cannot " + action, e);
        }
    }

    private static String byteRange(long offset, long length) {
        return "bytes=" + offset + "-" + (offset + length - 1);
    }
}
