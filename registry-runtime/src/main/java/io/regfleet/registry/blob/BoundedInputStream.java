package io.regfleet.registry.blob;

import java.io.IOException;
import java.io.InputStream;

/**
 * The first {@code limit} bytes of a stream; fails when the stream ends earlier (bytes went missing). Closed before
 * its end, it first runs {@code abandon} (e.g. to drop an HTTP connection rather than drain it).
 */
final class BoundedInputStream extends BulkReadInputStream {
    private final InputStream in;
    private final Runnable abandon;
    private long remaining;

    BoundedInputStream(InputStream in, long limit) {
        this(in, limit, () -> {
        });
    }

    BoundedInputStream(InputStream in, long limit, Runnable abandon) {
        this.in = in;
        this.remaining = limit;
        this.abandon = abandon;
    }

    @Override
    public void close() throws IOException {
        if (remaining > 0) {
            abandon.run();
        }
        in.close();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("stream ended " + remaining + " bytes early");
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }
}
