package io.regfleet.fleet.local;

import io.regfleet.dev.TcpProxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fleet's one address, like a Kubernetes Service: each client TCP connection goes, round-robin, to one replica's
 * API port and stays there (streaming, no HTTP parsing). A replica whose connect fails is skipped for the next one;
 * replicas can be added while it runs.
 */
public final class FrontProxy extends TcpProxy {
    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private final CopyOnWriteArrayList<InetSocketAddress> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    private FrontProxy(List<InetSocketAddress> initial) {
        super("front-proxy");
        backends.addAll(initial);
    }

    /** Listens on 127.0.0.1:{@code port} (0: a free port). */
    public static FrontProxy start(int port, List<InetSocketAddress> backends) {
        FrontProxy proxy = new FrontProxy(backends);
        proxy.listen(port);
        return proxy;
    }

    public void add(InetSocketAddress backend) {
        backends.addIfAbsent(backend);
    }

    public List<InetSocketAddress> backends() {
        return List.copyOf(backends);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    protected Socket connectUpstream() throws IOException {
        List<InetSocketAddress> now = List.copyOf(backends);
        if (now.isEmpty()) {
            throw new IOException("no replica to send the connection to");
        }
        int start = Math.floorMod(next.getAndIncrement(), now.size());
        IOException last = null;
        for (int i = 0; i < now.size(); i++) {
            InetSocketAddress backend = now.get((start + i) % now.size());
            Socket socket = new Socket();
            try {
                socket.connect(backend, CONNECT_TIMEOUT_MS);
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e; // down (killed, restarting): try the next replica
            }
        }
        throw new IOException("no replica accepted the connection", last);
    }
}
