package io.regfleet.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A database one network hop away: a TCP proxy on 127.0.0.1 that forwards every chunk of server -> client bytes no
 * earlier than its arrival plus a fixed latency, so a connection's hold time (not CPU) bounds throughput.
 * The delay is stamped on arrival and a separate writer forwards, so bytes that queue up while an earlier chunk waits
 * are not delayed again. Client -> server bytes pass straight through (the round trip gets the latency once).
 */
public final class LatencyProxy extends TcpProxy {
    private static final int QUEUED_CHUNKS = 256;

    private final InetSocketAddress target;
    private final long latencyNanos;

    private LatencyProxy(InetSocketAddress target, Duration latency) {
        super("latency-proxy-" + target.getPort());
        this.target = target;
        this.latencyNanos = latency.toNanos();
    }

    /** Listens on 127.0.0.1 and a free port, forwarding to {@code host:port}. */
    public static LatencyProxy start(String host, int port, Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        LatencyProxy proxy = new LatencyProxy(new InetSocketAddress(host, port), latency);
        proxy.listen(0);
        return proxy;
    }

    public Duration latency() {
        return Duration.ofNanos(latencyNanos);
    }

    public InetSocketAddress target() {
        return target;
    }

    @Override
    protected Socket connectUpstream() throws IOException {
        Socket socket = new Socket();
        socket.connect(target, 5_000);
        return socket;
    }

    /** One chunk and when it arrived; an empty chunk is the end of the stream. */
    private record Chunk(byte[] bytes, long arrivedNanos) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    /** This thread reads and stamps; a second one forwards each chunk when its time has come. */
    @Override
    protected void relayDownstream(Socket upstream, Socket client) throws IOException {
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        Thread writer = Thread.ofVirtual().name("latency-proxy-writer").start(() -> forward(queue, client, upstream));
        InputStream in = upstream.getInputStream();
        byte[] buffer = new byte[CHUNK];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()));
            }
            queue.put(Chunk.END);
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            if (writer.isAlive()) {
                writer.interrupt();
            }
        }
    }

    private void forward(BlockingQueue<Chunk> queue, Socket client, Socket upstream) {
        try {
            OutputStream out = client.getOutputStream();
            while (true) {
                Chunk chunk = queue.take();
                if (chunk == Chunk.END) {
                    client.shutdownOutput();
                    return;
                }
                long due = chunk.arrivedNanos() + latencyNanos;
                for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait);
                    if (Thread.interrupted()) {
                        return;
                    }
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away: closing the upstream ends the reader too (the queue emptied so it is not stuck)
            queue.clear();
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
