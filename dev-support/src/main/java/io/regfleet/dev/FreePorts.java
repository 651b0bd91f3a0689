package io.regfleet.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on the loopback interface: every server we start binds 127.0.0.1 on one of these.
 *
 * <p>A port is handed out once per JVM, and it is taken from below the kernel's ephemeral range. A port that
 * {@code bind(0)} found free is an ephemeral one: by the time a child process binds it, or binds it again after a
 * kill -9 and restart, any client connection on the machine (a load generator opening thousands) may be holding it
 * as its source port, and the server fails with "Address already in use". Below the range, no client gets it.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    public static synchronized int next() {
        int below = ephemeralRangeStart();
        if (below - LOWEST < 1_000) {
            return anyFree(); // nothing sensible below the range on this machine
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = random.nextInt(LOWEST, below);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port between " + LOWEST + " and " + below);
    }

    /** The first port the kernel hands to clients ({@code ip_local_port_range}); Linux's default where unknown. */
    static int ephemeralRangeStart() {
        try {
            // readAllLines, not readString: /proc reports a size of 0 and readString then returns one byte
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the servers bind: a TIME_WAIT left by an earlier test does not block them
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
