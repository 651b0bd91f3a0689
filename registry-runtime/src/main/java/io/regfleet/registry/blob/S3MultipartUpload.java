package io.regfleet.registry.blob;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.util.ArrayList;
import java.util.List;

import static io.regfleet.registry.blob.S3Objects.call;

/** One multipart upload in progress on an object's key: parts added in order, then completed or aborted. */
final class S3MultipartUpload {
    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final List<CompletedPart> completed = new ArrayList<>();

    S3MultipartUpload(S3Client s3, String bucket, String key, String uploadId) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = uploadId;
    }

    /** The next part, copied server-side from an object whose ETag must still be {@code eTag}. */
    void copyPart(String sourceKey, String eTag, String action) {
        int number = completed.size() + 1;
        String copied = call(action, () -> s3.uploadPartCopy(b -> b
                .sourceBucket(bucket).sourceKey(sourceKey).copySourceIfMatch(eTag)
                .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(number))
                .copyPartResult().eTag());
        completed.add(CompletedPart.builder().partNumber(number).eTag(copied).build());
    }

    /** The next part, uploaded. */
    void uploadPart(RequestBody body, String action) {
        int number = completed.size() + 1;
        String uploaded = call(action, () -> s3.uploadPart(b -> b
                .bucket(bucket).key(key).uploadId(uploadId).partNumber(number), body).eTag());
        completed.add(CompletedPart.builder().partNumber(number).eTag(uploaded).build());
    }

    /** Makes the parts the object. */
    void complete(String action) {
        call(action, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                .uploadId(uploadId).multipartUpload(m -> m.parts(completed))));
    }

    /** Drops the parts after {@code failure}, to which a failure to abort is added. */
    void abortAfter(RuntimeException failure) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException abortFailure) {
            failure.addSuppressed(abortFailure);
        }
    }
}
