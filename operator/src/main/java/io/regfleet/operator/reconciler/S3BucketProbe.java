package io.regfleet.operator.reconciler;

import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.S3StorageSpec;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.time.Duration;

/**
 * Whether a Registry's bucket is there for its credentials: one HeadBucket, as the pods' S3 client would send it
 * (same region, endpoint and addressing), answered in a condition's words.
 */
@ApplicationScoped
public class S3BucketProbe {
    private static final Logger LOG = Logger.getLogger(S3BucketProbe.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    public Verdict check(S3StorageSpec s3, String accessKeyId, String secretAccessKey) {
        String where = "bucket " + s3.bucket + (s3.endpoint == null || s3.endpoint.isBlank() ? " in " + s3.region : " at " + s3.endpoint);
        try (S3Client client = client(s3, accessKeyId, secretAccessKey)) {
            client.headBucket(b -> b.bucket(s3.bucket));
            return Verdict.met(Reasons.BUCKET_FOUND, where);
        } catch (S3Exception e) {
            LOG.debugf(e, "HeadBucket of %s failed", where);
            return switch (e.statusCode()) {
                case 404 -> Verdict.unmet(Reasons.BUCKET_NOT_FOUND, where + " does not exist");
                case 401, 403 -> Verdict.unmet(Reasons.ACCESS_DENIED, where + " refuses the credentials of Secret "
                        + s3.credentialsSecret + " (HTTP " + e.statusCode() + ")");
                case 301 -> Verdict.unmet(Reasons.BUCKET_NOT_FOUND, where + " is in another region than " + s3.region);
                default -> Verdict.unmet(Reasons.STORAGE_UNREACHABLE, where + " answered HTTP " + e.statusCode());
            };
        } catch (SdkException | IllegalArgumentException e) {
            LOG.debugf(e, "HeadBucket of %s failed", where);
            return Verdict.unmet(Reasons.STORAGE_UNREACHABLE, "cannot reach " + where);
        }
    }

    private static S3Client client(S3StorageSpec s3, String accessKeyId, String secretAccessKey) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(TIMEOUT).socketTimeout(TIMEOUT))
                .region(Region.of(s3.region))
                .forcePathStyle(Boolean.TRUE.equals(s3.pathStyle))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .overrideConfiguration(c -> c.apiCallTimeout(TIMEOUT.multipliedBy(2)).retryStrategy(RetryMode.STANDARD));
        if (s3.endpoint != null && !s3.endpoint.isBlank()) {
            builder.endpointOverride(URI.create(s3.endpoint));
        }
        return builder.build();
    }
}
