package io.regfleet.e2e;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.RegistryProcess;
import io.regfleet.dev.auth.AuthFiles;
import io.regfleet.dev.auth.LocalCa;
import io.regfleet.dev.oci.OciImage;
import io.regfleet.dev.oci.OciLayoutBuilder;
import io.regfleet.dev.oci.Podman;
import io.regfleet.dev.oci.Skopeo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.regfleet.dev.oci.OciLayoutBuilder.KIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real clients through the token flow over TLS: skopeo ({@code --creds}, the test CA by {@code --cert-dir}) and podman
 * ({@code login --cert-dir}, push, pull) against a registry process with access control and HTTPS.
 */
class AccessControlRoundTripTest {
    static final String ADMIN_PASSWORD = AuthFiles.randomPassword();
    static EmbeddedPostgresServer postgres;
    static RegistryProcess registry;
    static Path certs;

    @BeforeAll
    static void start(@TempDir Path dir) {
        postgres = Fleets.database();
        LocalCa ca = LocalCa.create("e2e CA", Duration.ofDays(1));
        certs = dir.resolve("ca");
        ca.writeCertificate(certs.resolve("ca.crt"));
        LocalCa.ServerCertificate server = ca.issue(dir.resolve("server"), "127.0.0.1", "localhost");
        Path users = AuthFiles.writeUsers(dir.resolve("users"), Map.of("admin", ADMIN_PASSWORD, "reader", "reader-pw",
                "robot", "robot-pw"));
        Path rules = AuthFiles.write(dir.resolve("rules.yaml"), """
                users:
                  admin: {"**": ["*"]}
                  reader: {"**": [pull]}
                  robot: {"team/*": [pull, push]}
                """);
        registry = Fleets.replica(postgres, dir.resolve("blobs"), "e2e-auth", "pod-0", Map.of(
                "regfleet.auth.enabled", "true",
                "regfleet.auth.users-file", users.toString(),
                "regfleet.auth.rules-file", rules.toString(),
                "regfleet.auth.signing-key-file", AuthFiles.writeSigningKey(dir.resolve("signing-key.pem")).toString(),
                "regfleet.tls.cert-file", server.certificate().toString(),
                "regfleet.tls.key-file", server.key().toString()));
        registry.start().awaitReady(Duration.ofSeconds(60));
    }

    @Test
    void skopeoPushesAndPullsWithCredentialsOverTls(@TempDir Path work) throws IOException {
        Path layout = work.resolve("src");
        OciImage image = OciLayoutBuilder.create(layout).image("v1", 64 * KIB, 300 * KIB);
        String target = "docker://" + hostPort() + "/e2e/secure:v1";
        Skopeo.run(work, "copy", "--preserve-digests", "--dest-creds", "admin:" + ADMIN_PASSWORD,
                "--dest-cert-dir", certs.toString(), "oci:" + layout + ":v1", target);

        String raw = Skopeo.run(work, "inspect", "--raw", "--creds", "reader:reader-pw", "--cert-dir", certs.toString(), target);
        assertEquals(image.digest(), Http.sha256(raw.getBytes()));
        Path back = work.resolve("back");
        Skopeo.run(work, "copy", "--preserve-digests", "--src-creds", "reader:reader-pw", "--src-cert-dir", certs.toString(),
                target, "oci:" + back + ":v1");
        for (var blob : image.layers()) {
            String hex = blob.digest().substring("sha256:".length());
            assertArrayEquals(Files.readAllBytes(layout.resolve("blobs/sha256/" + hex)), Files.readAllBytes(back.resolve("blobs/sha256/" + hex)));
        }

        String denied = assertThrows(IllegalStateException.class, () -> Skopeo.run(work, "copy", "--dest-creds",
                "reader:reader-pw", "--dest-cert-dir", certs.toString(), "oci:" + layout + ":v1",
                "docker://" + hostPort() + "/e2e/other:v1")).getMessage();
        assertTrue(denied.contains("denied") || denied.contains("403"), denied);
        String anonymous = assertThrows(IllegalStateException.class, () -> Skopeo.run(work, "inspect", "--no-creds",
                "--cert-dir", certs.toString(), target)).getMessage();
        assertTrue(anonymous.contains("unauthorized") || anonymous.contains("authentication required"), anonymous);
        String untrusted = assertThrows(IllegalStateException.class, () -> Skopeo.run(work, "inspect",
                "--creds", "reader:reader-pw", target)).getMessage();
        assertTrue(untrusted.contains("certificate"), untrusted);

        Skopeo.run(work, "copy", "--dest-creds", "robot:robot-pw", "--dest-cert-dir", certs.toString(),
                "oci:" + layout + ":v1", "docker://" + hostPort() + "/team/app:v1");
        String robotElsewhere = assertThrows(IllegalStateException.class, () -> Skopeo.run(work, "copy", "--dest-creds",
                "robot:robot-pw", "--dest-cert-dir", certs.toString(), "oci:" + layout + ":v1",
                "docker://" + hostPort() + "/other/app:v1")).getMessage();
        assertTrue(robotElsewhere.contains("denied") || robotElsewhere.contains("403"), robotElsewhere); // a HEAD has no body
    }

    @Test
    void podmanLogsInPushesAndPullsOverTls(@TempDir Path work) {
        Path layout = work.resolve("layout");
        OciImage image = OciLayoutBuilder.create(layout).image("v1", 32 * KIB, 128 * KIB);
        Podman podman = Podman.in(work.resolve("podman"));
        String reference = hostPort() + "/e2e/podman:v1";
        String pulled = podman.run("pull", "oci:" + layout + ":v1");
        podman.run("tag", pulled.substring(pulled.lastIndexOf('\n') + 1), reference);
        podman.run("login", "--authfile", podman.authFile(), "--cert-dir", certs.toString(), "-u", "admin", "-p", ADMIN_PASSWORD, hostPort());
        podman.run("push", "--authfile", podman.authFile(), "--cert-dir", certs.toString(), reference);
        podman.run("rmi", "--all", "--force");
        podman.run("pull", "--authfile", podman.authFile(), "--cert-dir", certs.toString(), reference);
        String imageId = podman.run("image", "inspect", "--format", "{{.Id}}", reference);
        assertEquals(image.config().digest(), "sha256:" + imageId);
        podman.run("logout", "--authfile", podman.authFile(), hostPort());
        String anonymous = assertThrows(IllegalStateException.class,
                () -> podman.run("pull", "--authfile", podman.authFile(), "--cert-dir", certs.toString(), reference)).getMessage();
        assertTrue(anonymous.contains("unauthorized") || anonymous.contains("authentication required"), anonymous);
    }

    @AfterAll
    static void stop() throws Exception {
        Fleets.closeAll(registry, postgres);
    }

    private static String hostPort() {
        return "127.0.0.1:" + registry.port();
    }
}
