package io.regfleet.registry.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Users and robot accounts of the users file. A client asks for a token per repository and per scope, each with the
 * same password: a right password is remembered for a few minutes (keyed by a hash of name, password and the stored
 * hash, so a changed password is not), sparing a bcrypt round per token.
 */
final class UserDirectory {
    private static final Duration REMEMBER = Duration.ofMinutes(5);
    private final Supplier<Htpasswd> file;
    private final Cache<String, String> recentlyVerified = Caffeine.newBuilder()
            .maximumSize(1024).expireAfterWrite(REMEMBER).build();

    UserDirectory(Supplier<Htpasswd> file) {
        this.file = file;
    }

    /** The user's credential version when the password is right; empty otherwise. */
    Optional<String> authenticate(String user, String password) {
        Htpasswd users = file.get();
        String stored = users.hashes().get(user);
        String key = sha256(user + '\0' + password + '\0' + stored);
        if (stored != null && recentlyVerified.getIfPresent(key) != null) {
            return Optional.of(version(stored));
        }
        String verified = users.verify(user, password);
        if (verified == null) {
            return Optional.empty();
        }
        recentlyVerified.put(key, verified);
        return Optional.of(version(verified));
    }

    /**
     * What a refresh token remembers of the user's entry: it stops working when the user is removed or the password
     * changes. Empty when the user is gone.
     */
    Optional<String> credentialVersion(String user) {
        return Optional.ofNullable(file.get().hashes().get(user)).map(UserDirectory::version);
    }

    private static String version(String storedHash) {
        return sha256(storedHash).substring(0, 16);
    }

    private static String sha256(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
