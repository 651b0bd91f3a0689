package io.regfleet.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real PgBouncer from Debian's package ({@code apt-get install pgbouncer}: {@code /usr/sbin/pgbouncer}) as a child
 * process on 127.0.0.1 and a free port, with a configuration the caller renders for that port and auth file (the
 * operator's own, fleet-control's PgBouncerSettings, in the e2e suite). PgBouncer refuses to run as root: as root it
 * is started with {@code -u nobody}, and its files are made readable to it.
 */
public final class PgBouncerProcess implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path folder;
    private final int port;
    private final Process process;
    private final Thread killOnExit = new Thread(this::destroy, "pgbouncer-kill-on-exit");

    private PgBouncerProcess(Path folder, int port, Process process) {
        this.folder = folder;
        this.port = port;
        this.process = process;
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Whether the package is installed: tests that need it say so when it is not. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts PgBouncer and returns once it accepts connections.
     *
     * @param ini      pgbouncer.ini for a port and the auth file's path
     * @param userlist the auth file's content
     */
    public static PgBouncerProcess start(IniForPort ini, String userlist) {
        if (!installed()) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install pgbouncer");
        }
        int port = FreePorts.next();
        Path folder;
        try {
            folder = Files.createTempDirectory("regfleet-pgbouncer");
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path auth = readable(Files.writeString(folder.resolve("userlist.txt"), userlist));
            Path config = readable(Files.writeString(folder.resolve("pgbouncer.ini"), ini.apply(port, auth.toString())));
            List<String> command = new ArrayList<>(List.of(BINARY.toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-u", "nobody"));
            }
            command.add(config.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("pgbouncer.log").toFile()).start();
            PgBouncerProcess started = new PgBouncerProcess(folder, port, process);
            started.awaitListening();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PgBouncer", e);
        }
    }

    /** Renders pgbouncer.ini for the port PgBouncer is given and the path of its auth file. */
    @FunctionalInterface
    public interface IniForPort {
        String apply(int port, String authFile);
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of a database through PgBouncer. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** What PgBouncer logged so far, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(folder.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PgBouncer exited (" + process.exitValue() + "): " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        destroy();
        throw new IllegalStateException("PgBouncer did not listen on " + port + " within " + START_TIMEOUT + ": " + log());
    }

    private static Path readable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while PgBouncer starts", e);
        }
    }

    private void destroy() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
