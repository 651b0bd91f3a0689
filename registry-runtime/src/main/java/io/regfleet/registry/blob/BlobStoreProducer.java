package io.regfleet.registry.blob;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.nio.file.Path;

/**
 * The registry's {@link BlobStore}, chosen by {@link StorageConfig} and timed for the request log, and its
 * {@link BlobRedirects}; the S3 client and presigner are closed on shutdown.
 */
@ApplicationScoped
public class BlobStoreProducer {
    private S3Client s3;
    private S3Presigner presigner;

    @Produces
    @ApplicationScoped
    BlobStore blobStore(StorageConfig config) {
        return new TimedBlobStore(driver(config));
    }

    @Produces
    @ApplicationScoped
    BlobRedirects blobRedirects(StorageConfig config) {
        if (config.driver() != StorageConfig.Driver.S3 || !config.s3().redirect()) {
            return BlobRedirects.NONE;
        }
        S3Presigner signer = S3ClientFactory.presigner(config.s3());
        synchronized (this) {
            presigner = signer;
        }
        return new S3PresignedRedirects(signer, requiredBucket(config), S3Keys.under(config.s3().prefix().orElse("")),
                config.s3().redirectExpiry());
    }

    /** The driver under a produced store's timing: which one serves (tests and diagnostics ask). */
    public static BlobStore driverOf(BlobStore store) {
        return store instanceof TimedBlobStore timed ? timed.driver() : store;
    }

    private BlobStore driver(StorageConfig config) {
        return switch (config.driver()) {
            case FILESYSTEM -> new FilesystemBlobStore(Path.of(config.filesystem().root()));
            case S3 -> {
                String bucket = requiredBucket(config);
                if (config.s3().redirect()) {
                    S3PresignedRedirects.requireValidExpiry(config.s3().redirectExpiry());
                }
                S3Client client = S3ClientFactory.create(config.s3());
                try {
                    BlobStore store = new S3BlobStore(client, bucket, config.s3().prefix().orElse(""),
                            config.s3().partSize());
                    synchronized (this) {
                        s3 = client;
                    }
                    yield store;
                } catch (RuntimeException e) {
                    client.close();
                    throw e;
                }
            }
        };
    }

    private static String requiredBucket(StorageConfig config) {
        return config.s3().bucket().orElseThrow(() -> new IllegalArgumentException(
                "regfleet.storage.s3.bucket is required by the s3 storage driver"));
    }

    @PreDestroy
    synchronized void closeS3Client() {
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
        if (presigner != null) {
            presigner.close();
            presigner = null;
        }
    }
}
