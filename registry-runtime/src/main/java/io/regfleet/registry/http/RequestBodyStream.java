package io.regfleet.registry.http;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body as a blocking InputStream for a worker thread, with backpressure: the event loop pauses the
 * request when a few MiB are queued and resumes it when the reader catches up. A blob is never held whole.
 */
final class RequestBodyStream extends InputStream {
    private static final long HIGH_WATER = 8L << 20;
    private static final long LOW_WATER = 2L << 20;
    private static final Object END = new Object();

    private final HttpServerRequest request;
    private final Context context;
    private final long idleTimeoutMillis;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean paused;
    private ByteBuf current;
    private boolean ended;
    private long read;

    /** Must be created on the request's event loop, before the body starts to flow. */
    RequestBodyStream(HttpServerRequest request, Context context, long idleTimeoutMillis) {
        this.request = request;
        this.context = context;
        this.idleTimeoutMillis = idleTimeoutMillis;
        request.handler(this::onData);
        request.endHandler(v -> queue.add(END));
        request.exceptionHandler(e -> queue.add(e));
        request.resume(); // the router paused it; from here the queue's high water mark paces the client
    }

    private void onData(Buffer buffer) {
        if (queued.addAndGet(buffer.length()) > HIGH_WATER && !paused) {
            paused = true;
            request.pause();
        }
        queue.add(buffer.getByteBuf());
    }

    /** Bytes handed to the reader so far. */
    long bytesRead() {
        return read;
    }

    boolean isFinished() {
        return ended;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.isReadable()) {
            if (ended) {
                return -1;
            }
            Object next = take();
            if (next == END) {
                ended = true;
                return -1;
            }
            if (next instanceof Throwable t) {
                throw new IOException("request body failed: " + t.getMessage(), t);
            }
            current = (ByteBuf) next;
            long left = queued.addAndGet(-current.readableBytes());
            if (paused && left < LOW_WATER) {
                paused = false;
                context.runOnContext(v -> request.resume());
            }
        }
        int n = Math.min(len, current.readableBytes());
        current.readBytes(b, off, n);
        read += n;
        return n;
    }

    private Object take() throws IOException {
        try {
            Object next = queue.poll(idleTimeoutMillis, TimeUnit.MILLISECONDS);
            if (next == null) {
                throw new IOException("request body stalled for " + idleTimeoutMillis + " ms");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the request body");
        }
    }
}
