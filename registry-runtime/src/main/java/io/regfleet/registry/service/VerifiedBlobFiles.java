package io.regfleet.registry.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.regfleet.registry.oci.Digest;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local blob files whose bytes this pod has hashed whole and found right, each remembered with the file's
 * identity at the time (inode, size, modification and change times). While a file keeps that identity its bytes are
 * the ones verified, so a later pull sends it zero-copy (sendfile) instead of hashing it again: verifying every pull
 * caps a pull at the hash rate (about 40% of the unverified rate here, bench/pull-verify.sh).
 *
 * <p>Why this keeps the verification's promise: anything that writes to the file (a tool, a person, a truncation, a
 * re-push after a quarantine: a new inode) changes its change time, which no user can set back, so the next pull is
 * hashed again and a mismatch is quarantined as before. The one gap is the timestamps' granularity: where the kernel
 * and filesystem stamp a change made right after a {@code stat} with a fine-grained time (Linux's multigrain
 * timestamps, 6.13 and later) even that write is seen; elsewhere a same-size overwrite within one timer tick of the
 * verification keeps the identity and is sent unhashed. Nor does it see silent media corruption under an unchanged
 * inode. Both are caught where it matters: OCI clients check every blob's digest themselves (a bad blob is refused,
 * never trusted), a pod restart forgets every entry, and the deep verify ({@code REGFLEET_MODE=verify}) re-hashes
 * the whole store. Bounded: a forgotten entry only costs one more hashed pull.
 */
@ApplicationScoped
public class VerifiedBlobFiles {
    private static final int MAX_ENTRIES = 100_000;
    private final Cache<Digest, FileIdentity> verified = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    /** A file as {@code stat} sees it; equal identities mean no write happened in between. */
    record FileIdentity(Object inode, long size, Object modified, Object changed) {
        /** The file's identity now, or null when it cannot be read (gone, or no unix attributes on this system). */
        static FileIdentity of(Path file) {
            try {
                Map<String, Object> a = Files.readAttributes(file, "unix:ino,dev,size,lastModifiedTime,ctime");
                return new FileIdentity(a.get("dev") + ":" + a.get("ino"), (Long) a.get("size"),
                        a.get("lastModifiedTime"), a.get("ctime"));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** True when the file has not changed since its bytes were verified as {@code digest}. */
    boolean vouchesFor(Digest digest, Path file) {
        FileIdentity now = FileIdentity.of(file);
        return now != null && now.equals(verified.getIfPresent(digest));
    }

    /**
     * What to run once a read that began when the file had identity {@code before} has hashed it whole and found it
     * right: the file is remembered when no write happened during the read.
     */
    Runnable afterVerifiedRead(Digest digest, Path file) {
        FileIdentity before = FileIdentity.of(file);
        return () -> {
            if (before != null && before.equals(FileIdentity.of(file))) {
                verified.put(digest, before);
            }
        };
    }
}
