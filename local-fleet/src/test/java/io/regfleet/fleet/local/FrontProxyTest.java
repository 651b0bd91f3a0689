package io.regfleet.fleet.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrontProxyTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void spreadsConnectionsRoundRobin() throws IOException {
        FrontProxy front = track(FrontProxy.start(0, List.of(named("a"), named("b"))));
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < 6; i++) {
            seen.merge(ask(front), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 3, "b", 3), seen);
    }

    @Test
    void skipsAReplicaThatRefusesAndTakesAddedOnes() throws IOException {
        int down;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = gone.getLocalPort(); // nobody listens there once closed
        }
        FrontProxy front = track(FrontProxy.start(0, List.of(new InetSocketAddress("127.0.0.1", down), named("a"))));
        for (int i = 0; i < 4; i++) {
            assertEquals("a", ask(front));
        }
        front.add(named("c"));
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < 6; i++) {
            seen.merge(ask(front), 1, Integer::sum);
        }
        assertEquals(2, seen.size(), "both live replicas answer: " + seen);
        assertEquals(6, seen.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** A trivial server answering every connection with its name, then closing. */
    private InetSocketAddress named(String name) throws IOException {
        ServerSocket server = track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(name.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    private static String ask(FrontProxy front) throws IOException {
        try (Socket s = new Socket("127.0.0.1", front.port())) {
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closing.add(c);
        return c;
    }
}
