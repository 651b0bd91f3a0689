package io.regfleet.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1: accepts connections, lets the subclass pick the upstream, and relays bytes both ways on
 * virtual threads until both sides are done. Streams only: no protocol is parsed. A half-close (EOF) is passed on as
 * a half-close, so request/response protocols that end a request with EOF keep working.
 */
public abstract class TcpProxy implements AutoCloseable {
    static final int CHUNK = 64 * 1024;

    private final String name;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private volatile boolean closed;

    protected TcpProxy(String name) {
        this.name = name;
    }

    /** Binds 127.0.0.1:{@code port} (0: a free port) and starts accepting. Called once by the subclass' factory. */
    protected final void listen(int port) {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot listen on 127.0.0.1:" + port, e);
        }
        Thread.ofVirtual().name(name + "-accept").start(this::acceptLoop);
    }

    /** The upstream socket for a new client connection; an exception closes the client. */
    protected abstract Socket connectUpstream() throws IOException;

    /** Relays upstream -> client; the default copies as bytes arrive. */
    protected void relayDownstream(Socket upstream, Socket client) throws IOException {
        copy(upstream, client);
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println(name + ": accept failed: " + e.getMessage());
                }
                return;
            }
            Thread.ofVirtual().name(name + "-connect").start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        track(client);
        Socket upstream;
        try {
            client.setTcpNoDelay(true);
            upstream = connectUpstream();
            upstream.setTcpNoDelay(true);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
            return;
        }
        track(upstream);
        AtomicInteger running = new AtomicInteger(2);
        Thread.ofVirtual().name(name + "-up").start(() -> relay(() -> copy(client, upstream), running, client, upstream));
        Thread.ofVirtual().name(name + "-down").start(
                () -> relay(() -> relayDownstream(upstream, client), running, client, upstream));
    }

    /** Copies until EOF, then half-closes the destination. */
    protected static void copy(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        byte[] buffer = new byte[CHUNK];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush();
        }
        to.shutdownOutput();
    }

    private void track(Socket socket) {
        open.add(socket);
        if (closed) {
            closeQuietly(socket);
        }
    }

    /**
     * Relays one direction of a connection; when both directions are done ({@code running} reaches 0) or one fails,
     * both sockets close.
     */
    private void relay(IoAction direction, AtomicInteger running, Socket client, Socket upstream) {
        boolean failed = false;
        try {
            direction.run();
        } catch (IOException | RuntimeException e) {
            failed = true; // a reset or a close: the other direction cannot go on either
        }
        if (running.decrementAndGet() == 0 || failed) {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    @FunctionalInterface
    protected interface IoAction {
        void run() throws IOException;
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : Set.copyOf(open)) {
            closeQuietly(socket);
        }
    }
}
