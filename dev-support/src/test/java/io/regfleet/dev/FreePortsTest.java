package io.regfleet.dev;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreePortsTest {

    @Test
    void handsOutEachPortOnceBelowTheEphemeralRangeAndAServerCanBindIt() throws IOException {
        int ephemeral = FreePorts.ephemeralRangeStart();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.next();
            assertTrue(seen.add(port), "handed out twice: " + port);
            assertTrue(port >= 10_000 && port < ephemeral, port + " is not below the ephemeral range at " + ephemeral);
        }
        int port = FreePorts.next();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertEquals(port, server.getLocalPort());
        }
    }
}
