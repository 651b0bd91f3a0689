package io.regfleet.fleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fleet's folder: pgdata, blobs, logs and the agent token. A folder the options name is kept between runs; without
 * one the fleet works in a temporary folder, deleted on close with every other temporary folder it was given.
 */
final class FleetHome implements AutoCloseable {
    private final Path dir;
    private final boolean temporary;
    private final List<Path> toDelete = new ArrayList<>();

    private FleetHome(Path dir, boolean temporary) {
        this.dir = dir;
        this.temporary = temporary;
        createDirectories(dir);
    }

    static FleetHome of(Path configured) {
        if (configured != null) {
            return new FleetHome(configured.toAbsolutePath(), false);
        }
        try {
            return new FleetHome(Files.createTempDirectory("regfleet-fleet"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fleet's own folder inside this one (kept or deleted with it). */
    FleetHome child(String name) {
        return new FleetHome(dir.resolve(name), false);
    }

    boolean temporary() {
        return temporary;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    /** The replicas' logs folder, created. */
    Path logs() {
        Path logs = dir.resolve("logs");
        createDirectories(logs);
        return logs;
    }

    /** A folder made elsewhere (a temporary database) that goes with this fleet. */
    void deleteOnClose(Path folder) {
        toDelete.add(folder);
    }

    /** A fresh random bearer token for the pod agents, in {@code agent-token} readable by its owner only. */
    AgentTokenFile writeAgentToken() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path file = dir.resolve("agent-token");
        try {
            Files.writeString(file, token);
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent token to " + file, e);
        }
        return new AgentTokenFile(file, token);
    }

    /** The token the replicas read from {@code file} and the rebalancer sends. */
    record AgentTokenFile(Path file, String token) {
    }

    @Override
    public void close() {
        toDelete.forEach(FleetHome::deleteQuietly);
        if (temporary) {
            deleteQuietly(dir);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder left behind is not worth failing a close for
        }
    }
}
