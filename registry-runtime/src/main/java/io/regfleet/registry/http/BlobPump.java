package io.regfleet.registry.http;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Copies a blob stream to a response on a worker thread, waiting for the socket when its queue is full. A client
 * that leaves mid-blob ends the copy at once: a closed connection never drains, and a copy waiting for that drain
 * held its worker thread and its stream until the wait ran out (or until shutdown, when its completion then landed
 * on a stopped event loop).
 */
final class BlobPump {
    private static final int CHUNK = 256 * 1024;
    private final HttpServerResponse response;
    private final long idleTimeoutMillis;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();

    /** Call on the response's event loop, before the copy starts, so that no close goes unheard. */
    BlobPump(HttpServerResponse response, long idleTimeoutMillis) {
        this.response = response;
        this.idleTimeoutMillis = idleTimeoutMillis;
        response.closeHandler(v -> gone.complete(null));
        response.exceptionHandler(e -> gone.complete(null));
        if (response.closed()) {
            gone.complete(null);
        }
    }

    /** Thrown when the client left before the blob's end. */
    static final class ClientGone extends IOException {
        ClientGone() {
            super("the client closed the connection mid-blob", null);
        }
    }

    /** Copies and closes {@code input}; ends the response when the whole blob went out. */
    void copy(InputStream input) throws Exception {
        try (input) {
            byte[] chunk = new byte[CHUNK];
            for (int n; (n = input.readNBytes(chunk, 0, chunk.length)) > 0; chunk = new byte[CHUNK]) {
                awaitRoom();
                response.write(Buffer.buffer(Unpooled.wrappedBuffer(chunk, 0, n))); // handed over, not copied
            }
            response.end();
        }
    }

    private void awaitRoom() throws Exception {
        if (response.writeQueueFull()) {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            response.drainHandler(v -> drained.complete(null));
            if (response.writeQueueFull()) {
                CompletableFuture.anyOf(drained, gone).get(idleTimeoutMillis, TimeUnit.MILLISECONDS);
            }
        }
        if (gone.isDone()) {
            throw new ClientGone();
        }
    }
}
