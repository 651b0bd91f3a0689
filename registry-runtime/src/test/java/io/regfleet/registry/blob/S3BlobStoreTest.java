package io.regfleet.registry.blob;

import io.regfleet.dev.S3ProxyServer;
import io.regfleet.registry.S3TestResource;
import io.regfleet.registry.oci.Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The contract on S3Proxy (a real S3 API, child process) with the smallest part size, so that modest data crosses
 * part boundaries. Each replica has its own client; each test (a new instance) its own key prefix.
 */
class S3BlobStoreTest extends BlobStoreContract {
    private static final String BUCKET = "regfleet-blobs";
    private static final int PART_SIZE = 5 * MIB;
    private static S3ProxyServer s3proxy;
    private static S3Client s3;
    private static S3Client otherS3;
    private final String prefix = "test-" + UUID.randomUUID() + "/";

    @BeforeAll
    static void startS3() {
        s3proxy = S3ProxyServer.withBucket(BUCKET);
        StorageConfig config = TestStorageConfigs.fromProperties(S3TestResource.storageSettings(s3proxy, BUCKET));
        s3 = S3ClientFactory.create(config.s3());
        otherS3 = S3ClientFactory.create(config.s3());
    }

    @AfterAll
    static void stopS3() {
        for (AutoCloseable resource : new AutoCloseable[] {s3, otherS3, s3proxy}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    protected BlobStore newReplica(int replica) {
        return new S3BlobStore(replica == 0 ? s3 : otherS3, BUCKET, prefix, PART_SIZE);
    }

    @Override
    protected int partSize() {
        return PART_SIZE;
    }

    @Override
    protected List<String> uploadLeftovers(String uploadId) {
        List<String> leftovers = new ArrayList<>(s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)
                .prefix(prefix + "uploads/" + uploadId + "/")).contents().stream().map(S3Object::key).toList());
        s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads().stream()
                .map(MultipartUpload::key).forEach(key -> leftovers.add("multipart upload of " + key));
        return leftovers;
    }

    @Test
    void servesBlobsAsStreamsOfObjectsAtTheDocumentedKey() {
        byte[] data = randomBytes(4096, 20);
        Digest digest = storeBlob(data);

        BlobContent.Stream stream = assertInstanceOf(BlobContent.Stream.class, store().open(digest, 100, 200));

        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 300), read(stream));
        assertEquals(data.length, s3.headObject(b -> b.bucket(BUCKET).key(prefix + "blobs/sha256/" + digest.hex()))
                .contentLength());
    }

    @Test
    void anUploadKeepsItsPartSizeOnAReplicaConfiguredWithAnother() {
        BlobStore largerParts = new S3BlobStore(otherS3, BUCKET, prefix, PART_SIZE + MIB);
        byte[] data = randomBytes(3 * PART_SIZE + 11, 21);
        String id = newUploadId();
        UploadState state = store().beginUpload(id);
        int third = data.length / 3;
        state = append(store(), id, state, java.util.Arrays.copyOfRange(data, 0, third));
        state = append(largerParts, id, state, java.util.Arrays.copyOfRange(data, third, 2 * third));
        state = append(store(), id, state, java.util.Arrays.copyOfRange(data, 2 * third, data.length));

        Digest digest = Digest.sha256Of(data);
        largerParts.commitUpload(id, state, digest);

        assertArrayEquals(data, read(store().open(digest, 0, data.length)));
    }
}
