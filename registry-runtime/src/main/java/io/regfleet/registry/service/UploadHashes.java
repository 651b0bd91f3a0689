package io.regfleet.registry.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running SHA-256 of uploads this replica has streamed, so that finishing an upload does not read it again.
 * Only a cache: when a chunk went to another replica, or this one restarted, the digest is rebuilt from the store.
 */
@ApplicationScoped
public class UploadHashes {
    private static final int MAX_ENTRIES = 10_000;

    private record Running(long offset, MessageDigest hasher) {
    }

    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();

    /** Takes (removes) the hasher that has seen exactly the first {@code offset} bytes, or null. */
    public MessageDigest take(String uploadId, long offset) {
        Running r = running.remove(uploadId);
        return r != null && r.offset() == offset ? r.hasher() : null;
    }

    /** Keeps a hasher that has seen exactly the first {@code offset} bytes. */
    public void keep(String uploadId, long offset, MessageDigest hasher) {
        if (running.size() >= MAX_ENTRIES) {
            running.clear(); // bounded memory; hashes are rebuilt from the store when needed
        }
        running.put(uploadId, new Running(offset, hasher));
    }

    public void forget(String uploadId) {
        running.remove(uploadId);
    }
}
