package io.regfleet.registry.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage settings as Quarkus maps them (defaults, environment variables) and the store they produce. */
class StorageConfigTest {

    @Test
    void defaultsToTheFilesystemDriver() {
        StorageConfig config = TestStorageConfigs.fromProperties(Map.of());

        assertEquals(StorageConfig.Driver.FILESYSTEM, config.driver());
        assertEquals(".regfleet/blobs", config.filesystem().root());
        assertEquals("us-east-1", config.s3().region());
        assertFalse(config.s3().pathStyle());
        assertEquals(8_388_608, config.s3().partSize());
        assertTrue(config.s3().bucket().isEmpty());
        assertTrue(config.s3().endpoint().isEmpty());
        assertTrue(config.s3().accessKeyId().isEmpty());
        assertTrue(config.s3().secretAccessKey().isEmpty());
        assertTrue(config.s3().prefix().isEmpty());
        assertFalse(config.s3().redirect(), "blob bytes go through the registry unless asked otherwise");
        assertEquals(java.time.Duration.ofMinutes(15), config.s3().redirectExpiry());
        assertEquals(BlobRedirects.NONE, new BlobStoreProducer().blobRedirects(config));
    }

    @Test
    void readsEveryPropertyFromItsEnvironmentVariable() {
        StorageConfig config = TestStorageConfigs.fromEnvironment(Map.ofEntries(
                Map.entry("REGFLEET_STORAGE_DRIVER", "s3"),
                Map.entry("REGFLEET_STORAGE_FILESYSTEM_ROOT", "/var/lib/regfleet"),
                Map.entry("REGFLEET_STORAGE_S3_BUCKET", "blobs"),
                Map.entry("REGFLEET_STORAGE_S3_REGION", "eu-west-3"),
                Map.entry("REGFLEET_STORAGE_S3_ENDPOINT", "http://minio:9000"),
                Map.entry("REGFLEET_STORAGE_S3_PATH_STYLE", "true"),
                Map.entry("REGFLEET_STORAGE_S3_ACCESS_KEY_ID", "id"),
                Map.entry("REGFLEET_STORAGE_S3_SECRET_ACCESS_KEY", "secret"),
                Map.entry("REGFLEET_STORAGE_S3_PREFIX", "fleet-a/"),
                Map.entry("REGFLEET_STORAGE_S3_PART_SIZE", "16777216"),
                Map.entry("REGFLEET_STORAGE_S3_REDIRECT", "true"),
                Map.entry("REGFLEET_STORAGE_S3_REDIRECT_EXPIRY", "5M")));

        assertEquals(StorageConfig.Driver.S3, config.driver());
        assertEquals("/var/lib/regfleet", config.filesystem().root());
        assertEquals(Optional.of("blobs"), config.s3().bucket());
        assertEquals("eu-west-3", config.s3().region());
        assertEquals(Optional.of("http://minio:9000"), config.s3().endpoint());
        assertTrue(config.s3().pathStyle());
        assertEquals(Optional.of("id"), config.s3().accessKeyId());
        assertEquals(Optional.of("secret"), config.s3().secretAccessKey());
        assertEquals(Optional.of("fleet-a/"), config.s3().prefix());
        assertEquals(16_777_216, config.s3().partSize());
        assertTrue(config.s3().redirect());
        assertEquals(java.time.Duration.ofMinutes(5), config.s3().redirectExpiry());
    }

    @Test
    void producesAFilesystemStoreOnTheConfiguredRoot(@TempDir Path root) {
        BlobStoreProducer producer = new BlobStoreProducer();
        BlobStore store = producer.blobStore(TestStorageConfigs.fromProperties(
                Map.of("regfleet.storage.filesystem.root", root.toString())));

        assertInstanceOf(FilesystemBlobStore.class, BlobStoreProducer.driverOf(store));
        assertTrue(root.resolve("blobs").toFile().isDirectory());
        assertTrue(root.resolve("uploads").toFile().isDirectory());
    }

    @Test
    void refusesIncompleteOrInvalidS3Settings() {
        BlobStoreProducer producer = new BlobStoreProducer();
        var noBucket = assertThrows(IllegalArgumentException.class, () -> producer.blobStore(
                TestStorageConfigs.fromProperties(Map.of("regfleet.storage.driver", "s3"))));
        assertTrue(noBucket.getMessage().contains("regfleet.storage.s3.bucket"), noBucket.getMessage());

        var smallParts = assertThrows(IllegalArgumentException.class, () -> producer.blobStore(
                TestStorageConfigs.fromProperties(Map.of("regfleet.storage.driver", "s3",
                        "regfleet.storage.s3.bucket", "b", "regfleet.storage.s3.access-key-id", "id",
                        "regfleet.storage.s3.secret-access-key", "secret",
                        "regfleet.storage.s3.part-size", "1048576"))));
        assertTrue(smallParts.getMessage().contains("part size"), smallParts.getMessage());

        var halfCredentials = assertThrows(IllegalArgumentException.class, () -> producer.blobStore(
                TestStorageConfigs.fromProperties(Map.of("regfleet.storage.driver", "s3",
                        "regfleet.storage.s3.bucket", "b", "regfleet.storage.s3.access-key-id", "id"))));
        assertTrue(halfCredentials.getMessage().contains("secret-access-key"), halfCredentials.getMessage());

        var longRedirects = assertThrows(IllegalArgumentException.class, () -> producer.blobStore(
                TestStorageConfigs.fromProperties(Map.of("regfleet.storage.driver", "s3",
                        "regfleet.storage.s3.bucket", "b", "regfleet.storage.s3.redirect", "true",
                        "regfleet.storage.s3.redirect-expiry", "8D"))));
        assertTrue(longRedirects.getMessage().contains("7 days"), longRedirects.getMessage());
        producer.closeS3Client();
    }
}
