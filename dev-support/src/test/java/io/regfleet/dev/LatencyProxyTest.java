package io.regfleet.dev;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyProxyTest {
    private static final Duration LATENCY = Duration.ofMillis(40);

    private ServerSocket server;
    private LatencyProxy proxy;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        proxy = LatencyProxy.start("127.0.0.1", server.getLocalPort(), LATENCY);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        server.close();
    }

    /** Each request/answer round trip through the proxy takes at least the latency; every byte arrives intact. */
    @Test
    void delaysEveryAnswerAndKeepsTheBytes() throws Exception {
        Thread.ofVirtual().start(() -> echo(server));
        byte[] payload = new byte[256 * 1024];
        ThreadLocalRandom.current().nextBytes(payload);
        try (Socket client = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            int rounds = 5;
            long started = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                out.write(i);
                out.flush();
                assertEquals(i, in.read());
            }
            long elapsed = System.nanoTime() - started;
            assertTrue(elapsed >= LATENCY.toNanos() * rounds,
                    "5 round trips took " + elapsed / 1_000_000 + " ms, less than 5 x " + LATENCY.toMillis() + " ms");

            Thread.ofVirtual().start(() -> {
                try {
                    out.write(payload);
                    client.shutdownOutput(); // EOF passes through: the echo server closes after echoing
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] echoed = in.readAllBytes();
            assertArrayEquals(payload, echoed);
        }
    }

    @Test
    void closeEndsOpenConnections() throws Exception {
        Thread.ofVirtual().start(() -> echo(server));
        try (Socket client = new Socket("127.0.0.1", proxy.port())) {
            client.getOutputStream().write(7);
            assertEquals(7, client.getInputStream().read());
            proxy.close();
            int next;
            try {
                next = client.getInputStream().read();
            } catch (IOException reset) {
                next = -1;
            }
            assertEquals(-1, next, "the connection ends when the proxy closes");
        }
    }

    /** Echoes one connection's bytes back until EOF, then closes it. */
    private static void echo(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException ignored) {
            // the test ended
        }
    }
}
