package io.regfleet.registry.blob;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;

/**
 * The registry's {@link BlobStore}, chosen by {@link StorageConfig} and timed for the request log; the S3 client is
 * closed on shutdown.
 */
@ApplicationScoped
public class BlobStoreProducer {
    private S3Client s3;

    @Produces
    @ApplicationScoped
    BlobStore blobStore(StorageConfig config) {
        return new TimedBlobStore(driver(config));
    }

    /** The driver under a produced store's timing: which one serves (tests and diagnostics ask). */
    public static BlobStore driverOf(BlobStore store) {
        return store instanceof TimedBlobStore timed ? timed.driver() : store;
    }

    private BlobStore driver(StorageConfig config) {
        return switch (config.driver()) {
            case FILESYSTEM -> new FilesystemBlobStore(Path.of(config.filesystem().root()));
            case S3 -> {
                String bucket = config.s3().bucket().orElseThrow(() -> new IllegalArgumentException(
                        "regfleet.storage.s3.bucket is required by the s3 storage driver"));
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

    @PreDestroy
    synchronized void closeS3Client() {
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
    }
}
