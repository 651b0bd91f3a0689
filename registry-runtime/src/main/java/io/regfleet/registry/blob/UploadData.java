package io.regfleet.registry.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the client's upload data. A failure to read it is the client's (a broken connection), not the store's: it
 * surfaces as {@link UncheckedIOException}, while failures of the store itself surface as {@link BlobStoreException}.
 */
final class UploadData {
    private UploadData() {
    }

    /** Reads until {@code length} bytes are in {@code buffer} or the data ends; returns how many were read. */
    static int readFully(InputStream data, byte[] buffer, int offset, int length) {
        try {
            return data.readNBytes(buffer, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the upload data failed", e);
        }
    }
}
