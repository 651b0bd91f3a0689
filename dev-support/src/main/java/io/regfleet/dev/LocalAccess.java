package io.regfleet.dev;

import io.regfleet.dev.auth.AuthFiles;
import io.regfleet.dev.auth.LocalCa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code make run AUTH=on} and {@code TLS=on}: the files the registry's access control and TLS read, made once in the
 * data folder and kept. AUTH: an {@code admin} user who may do everything, its generated password printed once and
 * kept in {@code admin-password}, a rules file and a signing key in {@code auth/}. TLS: a local certificate authority
 * whose {@code tls/ca/ca.crt} clients are told to trust, and a certificate for 127.0.0.1 and localhost.
 */
final class LocalAccess {
    static final String ADMIN = "admin";
    private static final String RULES = """
            # Who may do what (README: Access control). Users are in users.htpasswd (htpasswd -B).
            anonymous: []
            users:
              admin: {"**": ["*"]}
            """;

    private LocalAccess() {
    }

    /** The registry properties for access control, creating what is missing under {@code home}. */
    static Map<String, String> auth(Path home) {
        Path dir = home.resolve("auth");
        Path passwordFile = home.resolve("admin-password");
        String password;
        try {
            if (Files.exists(passwordFile)) {
                password = Files.readString(passwordFile).trim();
                System.out.printf("Access control on: user %s, password in %s%n", ADMIN, passwordFile);
            } else {
                password = AuthFiles.randomPassword();
                Files.createDirectories(home);
                Files.writeString(passwordFile, password + "\n");
                Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
                System.out.printf("Access control on: user %s, password %s (shown once; kept in %s)%n", ADMIN, password, passwordFile);
            }
            Path rules = dir.resolve("rules.yaml");
            if (!Files.exists(rules)) {
                AuthFiles.write(rules, RULES);
            }
            Path key = dir.resolve("signing-key.pem");
            if (!Files.exists(key)) {
                AuthFiles.writeSigningKey(key);
            }
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("regfleet.auth.enabled", "true");
            properties.put("regfleet.auth.users-file", AuthFiles.writeUsers(dir.resolve("users.htpasswd"), Map.of(ADMIN, password)).toString());
            properties.put("regfleet.auth.rules-file", rules.toString());
            properties.put("regfleet.auth.signing-key-file", key.toString());
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The registry properties for TLS; the CA clients trust is {@code <home>/tls/ca/ca.crt}. */
    static Map<String, String> tls(Path home) {
        Path server = home.resolve("tls/server");
        if (!Files.exists(server.resolve("tls.crt"))) {
            LocalCa ca = LocalCa.create("Regfleet local CA", Duration.ofDays(365));
            ca.writeCertificate(caDirectory(home).resolve("ca.crt"));
            ca.issue(server, "127.0.0.1", "localhost");
        }
        return Map.of("regfleet.tls.cert-file", server.resolve("tls.crt").toString(),
                "regfleet.tls.key-file", server.resolve("tls.key").toString());
    }

    /** The folder clients take as their certificate folder (skopeo --cert-dir, podman --cert-dir). */
    static Path caDirectory(Path home) {
        return home.resolve("tls/ca");
    }

    /** How to log in, for the start-up message. */
    static String loginHelp(Path home, String hostPort, boolean tls) {
        String password = home.resolve("admin-password").toString();
        String trust = tls ? "--cert-dir " + caDirectory(home) : "--tls-verify=false";
        return String.join("\n",
                "Log in (the password is in " + password + "):",
                "  skopeo login " + trust + " -u admin --password-stdin " + hostPort + " < " + password,
                "  podman login " + trust + " -u admin --password-stdin " + hostPort + " < " + password,
                "  docker login -u admin --password-stdin " + hostPort + " < " + password
                        + (tls ? "   (docker: copy ca.crt to /etc/docker/certs.d/" + hostPort + "/ first)" : ""));
    }
}
