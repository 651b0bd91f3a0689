package io.regfleet.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A hot standby of an {@link EmbeddedPostgresServer}, streaming its WAL: the embedded binaries have no
 * {@code pg_basebackup}, so the copy is taken with the low-level backup API ({@code pg_backup_start}, a file copy,
 * {@code pg_backup_stop}) and a physical replication slot keeps the WAL the standby still needs.
 * Hot standby needs {@code max_connections} at least the primary's: the standby gets the same value unless told.
 */
public final class StreamingReplica {
    /** What the copy leaves out: the running primary's own files, and WAL and slots the standby gets by streaming. */
    private static final Set<String> NOT_COPIED = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");
    private static final Set<String> COPIED_EMPTY = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp");

    private StreamingReplica() {
    }

    /**
     * Copies a running primary into a new temporary data directory and starts it as a standby on a free port.
     *
     * @param name         the slot and application name (letters, digits, underscores)
     * @param serverConfig settings of the standby (max_connections must be at least the primary's)
     */
    public static EmbeddedPostgresServer of(EmbeddedPostgresServer primary, String name, Map<String, String> serverConfig) {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("a replica name is lower-case letters, digits and underscores: " + name);
        }
        try {
            Path copy = Files.createTempDirectory("regfleet-pg-replica");
            try (Connection c = primary.superuserConnection("postgres"); Statement s = c.createStatement()) {
                // a kept primary (make run) may still have the slot of the standby it had before: a new copy, a new slot
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + name + "' AND NOT active");
                s.execute("SELECT pg_create_physical_replication_slot('" + name + "', true)");
                s.execute("SELECT pg_backup_start('" + name + "', true)");
                copyDataDirectory(primary.dataDirectory(), copy);
                try (ResultSet rs = s.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                    rs.next();
                    Files.writeString(copy.resolve("backup_label"), rs.getString(1));
                    String tablespaces = rs.getString(2);
                    if (tablespaces != null && !tablespaces.isBlank()) {
                        Files.writeString(copy.resolve("tablespace_map"), tablespaces);
                    }
                }
            }
            Files.createFile(copy.resolve("standby.signal"));
            // in the file, not on the command line: pg_ctl splits its options at spaces, and a conninfo has them
            Files.writeString(copy.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port="
                    + primary.port() + " user=" + EmbeddedPostgresServer.SUPERUSER
                    + " password=postgres application_name=" + name + "'\nprimary_slot_name = '" + name + "'\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Map<String, String> config = new LinkedHashMap<>(serverConfig);
            config.putIfAbsent("hot_standby", "on");
            // replies often, so the primary's view of the standby (pg_stat_replication) is current in tests
            config.putIfAbsent("wal_receiver_status_interval", "1s");
            return EmbeddedPostgresServer.temporaryIn(copy, config).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the primary for a standby", e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not take a base backup of the primary", e);
        }
    }

    /** Stops replaying WAL (the standby still answers, with older data): replication lag on demand. */
    public static void pauseReplay(EmbeddedPostgresServer standby) {
        standby.execute("postgres", "SELECT pg_wal_replay_pause()");
    }

    public static void resumeReplay(EmbeddedPostgresServer standby) {
        standby.execute("postgres", "SELECT pg_wal_replay_resume()");
    }

    /**
     * Drops the primary's slot for a standby that is gone for good (stopped first), so the primary stops keeping WAL
     * for it; nothing when the slot is not there.
     */
    public static void dropSlot(EmbeddedPostgresServer primary, String name) {
        primary.execute("postgres", "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                + name + "' AND NOT active");
    }

    private static void copyDataDirectory(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                Files.createDirectories(target);
                if (!dir.equals(from) && COPIED_EMPTY.contains(from.relativize(dir).toString())) {
                    if (dir.getFileName().toString().equals("pg_wal")) {
                        Files.createDirectories(target.resolve("archive_status"));
                        Files.createDirectories(target.resolve("summaries"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (from.relativize(file).getNameCount() == 1 && NOT_COPIED.contains(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // a temporary file the running primary removed meanwhile
                }
                throw e;
            }
        });
    }
}
