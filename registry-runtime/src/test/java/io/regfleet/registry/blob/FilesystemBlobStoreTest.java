package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The contract on a folder; the second replica is another store on the same folder (a shared volume). */
class FilesystemBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path root;

    @Override
    protected BlobStore newReplica(int replica) {
        return new FilesystemBlobStore(root);
    }

    @Override
    protected int partSize() {
        return 5 * MIB;
    }

    @Override
    protected List<String> uploadLeftovers(String uploadId) {
        try (Stream<Path> files = Files.list(root.resolve("uploads"))) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith(uploadId)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void servesBlobsAsLocalFilesAtTheDocumentedPath() {
        byte[] data = randomBytes(4096, 20);
        Digest digest = storeBlob(data);

        BlobContent.LocalFile file = assertInstanceOf(BlobContent.LocalFile.class, store().open(digest, 100, 200));

        assertEquals(root.resolve("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex()), file.path());
        assertEquals(100, file.offset());
        assertEquals(200, file.length());
    }
}
