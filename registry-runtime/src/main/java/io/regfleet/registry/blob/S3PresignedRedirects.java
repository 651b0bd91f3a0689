package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * Presigned GETs of blob objects ({@link S3Keys}), valid for {@code expiry}. Signing is local (no call to S3). The
 * URL serves {@code Range} requests too: clients send their Range header again to the redirect's target.
 */
final class S3PresignedRedirects implements BlobRedirects {
    /** SigV4's longest validity. */
    static final Duration MAX_EXPIRY = Duration.ofDays(7);

    private final S3Presigner presigner;
    private final String bucket;
    private final S3Keys keys;
    private final Duration expiry;

    S3PresignedRedirects(S3Presigner presigner, String bucket, S3Keys keys, Duration expiry) {
        this.presigner = presigner;
        this.bucket = bucket;
        this.keys = keys;
        this.expiry = requireValidExpiry(expiry);
    }

    /** Refuses a validity S3 would not honour (checked at start-up, before the first GET needs it). */
    static Duration requireValidExpiry(Duration expiry) {
        if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("regfleet.storage.s3.redirect-expiry must lie between 1 second and "
                    + "7 days (S3's limit for a presigned URL), not " + expiry);
        }
        return expiry;
    }

    @Override
    public Optional<URI> location(Digest digest) {
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(expiry)
                    .getObjectRequest(get -> get.bucket(bucket).key(keys.blob(digest)))).url().toURI());
        } catch (URISyntaxException e) {
            throw new BlobStoreException("cannot presign a GET of " + digest, e);
        }
    }
}
