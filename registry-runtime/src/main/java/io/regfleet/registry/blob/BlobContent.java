package io.regfleet.registry.blob;

import java.io.InputStream;
import java.nio.file.Path;

/** How to serve a range of a stored blob: a local file (sent zero-copy) or a stream. */
public sealed interface BlobContent {
    long length();

    /** A range of a file on this machine; the HTTP layer sends it with sendfile. */
    record LocalFile(Path path, long offset, long length) implements BlobContent {
    }

    /** A stream of exactly {@code length} bytes; the caller closes it. */
    record Stream(InputStream input, long length) implements BlobContent {
    }
}
