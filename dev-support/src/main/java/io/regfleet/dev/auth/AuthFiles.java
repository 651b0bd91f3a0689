package io.regfleet.dev.auth;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The files access control reads, written as a Secret's would be: users in htpasswd bcrypt form ({@code $2y$}, as
 * {@code htpasswd -B} writes), an EC P-256 signing key in PKCS#8 PEM. Every write replaces the file atomically (a
 * new file moved over the old one), as the kubelet swaps a remounted Secret.
 */
public final class AuthFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** htpasswd -B's default cost. */
    private static final int BCRYPT_COST = 5;

    private AuthFiles() {
    }

    /** {@code user:$2y$05$...}, one line of a users file. */
    public static String htpasswdLine(String user, String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, BCRYPT_COST);
    }

    /** A users file with these users and passwords. */
    public static Path writeUsers(Path file, Map<String, String> passwords) {
        return write(file, passwords.entrySet().stream().map(e -> htpasswdLine(e.getKey(), e.getValue()))
                .collect(Collectors.joining("\n", "", "\n")));
    }

    /** A fresh EC P-256 private key (PKCS#8 PEM). */
    public static Path writeSigningKey(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return write(file, pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random password of 24 URL-safe characters. */
    public static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** Writes {@code content} next to {@code file}, then moves it over {@code file} in one step. */
    public static Path write(Path file, String content) {
        try {
            Path absolute = file.toAbsolutePath();
            Files.createDirectories(absolute.getParent());
            Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            return Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
