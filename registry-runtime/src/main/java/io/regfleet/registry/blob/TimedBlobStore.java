package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.telemetry.RequestTimings;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A blob store that adds the time of each call to the storage time of the request that makes it
 * ({@link RequestTimings}); outside a request it only delegates. Streams it hands out count their reads for the
 * request that opened them. An append's time spent waiting for the client's body is not storage time: it is taken
 * back out. A file sent zero-copy (filesystem reads) is the kernel's work and is not counted.
 */
final class TimedBlobStore implements BlobStore {
    private final BlobStore store;

    TimedBlobStore(BlobStore store) {
        this.store = store;
    }

    /** The store it times. */
    BlobStore driver() {
        return store;
    }

    @Override
    public OptionalLong size(Digest digest) {
        return timed(() -> store.size(digest));
    }

    @Override
    public BlobContent open(Digest digest, long offset, long length) {
        BlobContent content = timed(() -> store.open(digest, offset, length));
        RequestTimings request = RequestTimings.current();
        if (request != null && content instanceof BlobContent.Stream stream) {
            return new BlobContent.Stream(new TimedInputStream(stream.input(), request::addStorage), stream.length());
        }
        return content;
    }

    @Override
    public boolean delete(Digest digest) {
        return timed(() -> store.delete(digest));
    }

    @Override
    public List<StoredBlob> list(Digest after, int limit) {
        return timed(() -> store.list(after, limit));
    }

    @Override
    public UploadState beginUpload(String uploadId) {
        return timed(() -> store.beginUpload(uploadId));
    }

    @Override
    public UploadState append(String uploadId, UploadState state, InputStream data) {
        RequestTimings request = RequestTimings.current();
        if (request == null) {
            return store.append(uploadId, state, data);
        }
        long[] clientNanos = {0};
        TimedInputStream body = new TimedInputStream(data, nanos -> clientNanos[0] += nanos);
        long started = System.nanoTime();
        try {
            return store.append(uploadId, state, body);
        } finally {
            request.addStorage(System.nanoTime() - started - clientNanos[0]);
        }
    }

    @Override
    public InputStream readUpload(String uploadId, UploadState state) {
        InputStream input = timed(() -> store.readUpload(uploadId, state));
        RequestTimings request = RequestTimings.current();
        return request == null ? input : new TimedInputStream(input, request::addStorage);
    }

    @Override
    public void commitUpload(String uploadId, UploadState state, Digest digest) {
        timed(() -> {
            store.commitUpload(uploadId, state, digest);
            return null;
        });
    }

    @Override
    public void abortUpload(String uploadId, UploadState state) {
        timed(() -> {
            store.abortUpload(uploadId, state);
            return null;
        });
    }

    private static <T> T timed(Supplier<T> call) {
        RequestTimings request = RequestTimings.current();
        if (request == null) {
            return call.get();
        }
        long started = System.nanoTime();
        try {
            return call.get();
        } finally {
            request.addStorage(System.nanoTime() - started);
        }
    }

    /** Reports the time spent in each read. */
    private static final class TimedInputStream extends FilterInputStream {
        private final LongConsumer sink;

        TimedInputStream(InputStream in, LongConsumer sink) {
            super(in);
            this.sink = sink;
        }

        @Override
        public int read() throws IOException {
            return (int) clocked(() -> super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return (int) clocked(() -> super.read(b, off, len));
        }

        @Override
        public long skip(long n) throws IOException {
            return clocked(() -> super.skip(n));
        }

        private long clocked(Read read) throws IOException {
            long started = System.nanoTime();
            try {
                return read.run();
            } finally {
                sink.accept(System.nanoTime() - started);
            }
        }

        private interface Read {
            long run() throws IOException;
        }
    }
}
