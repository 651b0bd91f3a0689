package io.regfleet.registry.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The pod agent's bearer token, read from a file (a mounted Secret) and re-read when the file changes, so a rotated
 * Secret takes effect without a restart. Compared in constant time (hashes of equal length, MessageDigest.isEqual).
 */
final class AgentToken {
    private final Path file;
    private long readAtModified = Long.MIN_VALUE;
    private byte[] expectedHash;

    AgentToken(Path file) {
        this.file = file;
    }

    /** True when {@code authorization} is {@code Bearer <the token>}. */
    synchronized boolean accepts(String authorization) {
        byte[] expected = expectedHash();
        if (expected == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(authorization.substring(7).trim()));
    }

    private byte[] expectedHash() {
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            if (modified != readAtModified) {
                String token = Files.readString(file, StandardCharsets.UTF_8).trim();
                expectedHash = token.isEmpty() ? null : sha256(token);
                readAtModified = modified;
            }
            return expectedHash;
        } catch (IOException e) {
            return null; // no readable token: nobody is let in
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
