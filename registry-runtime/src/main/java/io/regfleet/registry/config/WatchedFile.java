package io.regfleet.registry.config;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;

/**
 * A file whose parsed content follows the file without a restart. A rotated Secret is remounted by the kubelet behind a
 * symlink swap, so the file's identity, size or modification time changes; that is looked at no more than once per
 * interval, so a hot path pays at most one {@code stat} per interval. A change that does not parse keeps the last good
 * content (a half-written file must not lock everyone out) and is logged; only the first read must succeed.
 */
public final class WatchedFile<T> {
    private static final Logger LOG = Logger.getLogger(WatchedFile.class);
    private final Path path;
    private final Parser<T> parser;
    private final long checkEveryNanos;
    private volatile Loaded<T> loaded;

    /** Turns the file's bytes into its value; any exception means the content is unusable. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(byte[] content) throws Exception;
    }

    private record Stamp(Object fileKey, FileTime modified, long size) {
    }

    private record Loaded<T>(T value, Stamp stamp, long checkedAt) {
    }

    private WatchedFile(Path path, Duration checkEvery, Parser<T> parser) {
        this.path = path;
        this.parser = parser;
        this.checkEveryNanos = checkEvery.toNanos();
    }

    /** Reads and parses the file now; an unreadable or unusable file is an {@link IllegalStateException} naming it. */
    public static <T> WatchedFile<T> load(Path path, Duration checkEvery, Parser<T> parser) {
        WatchedFile<T> file = new WatchedFile<>(path, checkEvery, parser);
        try {
            Stamp stamp = stamp(path);
            file.loaded = new Loaded<>(Objects.requireNonNull(parser.parse(Files.readAllBytes(path))), stamp, System.nanoTime());
            return file;
        } catch (Exception e) {
            throw new IllegalStateException("cannot use " + path + ": " + e.getMessage(), e);
        }
    }

    /** The content as of the last check; the file is looked at again when the interval has passed. */
    public T get() {
        Loaded<T> current = loaded;
        if (System.nanoTime() - current.checkedAt() < checkEveryNanos) {
            return current.value();
        }
        return refresh(current);
    }

    public Path path() {
        return path;
    }

    private synchronized T refresh(Loaded<T> seen) {
        Loaded<T> current = loaded;
        if (current != seen) {
            return current.value(); // another thread just looked
        }
        long now = System.nanoTime();
        Stamp stamp;
        try {
            stamp = stamp(path);
        } catch (IOException e) {
            LOG.warnf("%s cannot be read (%s); keeping its last content", path, e.getMessage());
            loaded = new Loaded<>(current.value(), current.stamp(), now);
            return current.value();
        }
        T value = current.value();
        if (!stamp.equals(current.stamp())) {
            try {
                value = Objects.requireNonNull(parser.parse(Files.readAllBytes(path)));
                LOG.infof("%s changed: reloaded", path);
            } catch (Exception e) {
                LOG.warnf("%s changed but cannot be used (%s); keeping its last content", path, e.getMessage());
            }
        }
        loaded = new Loaded<>(value, stamp, now);
        return value;
    }

    private static Stamp stamp(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class); // follows symlinks
        return new Stamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
    }
}
