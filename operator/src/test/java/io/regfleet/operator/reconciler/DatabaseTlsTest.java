package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.auth.LocalCa;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.SslMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sslMode verify-full against a real PostgreSQL with TLS on (ssl=on) and a server certificate signed by a CA made
 * here: with the CA in spec.database.caSecret the operator's probe verifies the server and the pods get the CA
 * mounted with regfleet.db.sslrootcert pointing at it; without it, or with another CA, DatabaseReady says so in words.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class DatabaseTlsTest extends MockClusterTestBase {
    private static String caPem;
    private static String otherCaPem;
    private static EmbeddedPostgresServer tls;

    @BeforeAll
    static void tlsDatabase() throws IOException {
        Path dir = Files.createTempDirectory("regfleet-pg-tls");
        LocalCa ca = LocalCa.create("regfleet test database CA", Duration.ofDays(2));
        caPem = Files.readString(ca.writeCertificate(dir.resolve("ca.crt")));
        otherCaPem = Files.readString(LocalCa.create("someone else's CA", Duration.ofDays(2))
                .writeCertificate(dir.resolve("other-ca.crt")));
        LocalCa.ServerCertificate server = ca.issue(dir, "127.0.0.1", "localhost");
        Files.setPosixFilePermissions(server.key(), PosixFilePermissions.fromString("rw-------"));
        tls = EmbeddedPostgresServer.temporary(Map.of("ssl", "on", "ssl_cert_file", server.certificate().toString(),
                "ssl_key_file", server.key().toString())).start();
        tls.execute("postgres", "CREATE ROLE fleet LOGIN PASSWORD 'fleet-pw'");
        tls.execute("postgres", "CREATE DATABASE regfleet OWNER fleet");
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void verifyFullWorksWithTheDatabasesCaAndSaysWhatIsMissingWithout() {
        String ns = namespace("tls");
        databaseSecret(ns, "db", tls.port());
        caSecret(ns, "db-ca", caPem);
        caSecret(ns, "other-ca", otherCaPem);

        Registry verified = client.resource(verifyFull(ns, "verified", "db-ca")).create();
        awaitCondition(ns, "verified", RegistryConditions.DATABASE_READY, "True", RegistryConditions.Reasons.CONNECTED);
        Job job = awaitJob(ns, verified);
        var pod = job.getSpec().getTemplate().getSpec();
        Volume ca = pod.getVolumes().stream().filter(v -> v.getName().equals("db-ca")).findFirst().orElseThrow();
        assertEquals("db-ca", ca.getSecret().getSecretName());
        assertEquals("ca.crt", ca.getSecret().getItems().get(0).getKey());
        assertEquals("/var/run/regfleet/db-ca", pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals("db-ca")).findFirst().orElseThrow().getMountPath());
        var settings = client.configMaps().inNamespace(ns).withName("verified-runtime").get().getData();
        assertEquals("verify-full", settings.get("REGFLEET_DB_SSLMODE"));
        assertEquals("/var/run/regfleet/db-ca/ca.crt", settings.get("REGFLEET_DB_SSLROOTCERT"));

        client.resource(verifyFull(ns, "no-ca", null)).create();
        String without = message(awaitCondition(ns, "no-ca", RegistryConditions.DATABASE_READY, "False",
                RegistryConditions.Reasons.TLS_VERIFICATION_FAILED));
        assertEquals("cannot verify the certificate of 127.0.0.1:" + tls.port() + " (sslMode verify-full): set "
                + "spec.database.caSecret to a Secret whose key ca.crt holds the database's CA", without);

        client.resource(verifyFull(ns, "wrong-ca", "other-ca")).create();
        String wrong = message(awaitCondition(ns, "wrong-ca", RegistryConditions.DATABASE_READY, "False",
                RegistryConditions.Reasons.TLS_VERIFICATION_FAILED));
        assertEquals("the certificate of 127.0.0.1:" + tls.port() + " is not signed by the CA in Secret other-ca, or does "
                + "not name 127.0.0.1 (sslMode verify-full)", wrong);
        for (String text : new String[]{without, wrong}) {
            assertFalse(text.contains("Exception") || text.contains("org.postgresql") || text.contains("\n"), text);
        }

        // a CA Secret without the key: said before any connection is tried
        client.resource(new SecretBuilder().withNewMetadata().withName("empty-ca").withNamespace(ns).endMetadata()
                .withStringData(Map.of("tls.crt", "x")).build()).create();
        client.resource(verifyFull(ns, "empty", "empty-ca")).create();
        assertTrue(message(awaitCondition(ns, "empty", RegistryConditions.DATABASE_READY, "False",
                RegistryConditions.Reasons.SECRET_KEY_MISSING)).contains("ca.crt"));
    }

    private void caSecret(String ns, String name, String pem) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withStringData(Map.of("ca.crt", pem)).build()).create();
    }

    private static Registry verifyFull(String ns, String name, String caSecret) {
        Registry r = SampleRegistries.onS3(ns, name);
        r.getSpec().database.sslMode = SslMode.VERIFY_FULL;
        r.getSpec().database.caSecret = caSecret;
        return r;
    }

    private static String message(Registry registry) {
        return registry.getStatus().condition(RegistryConditions.DATABASE_READY).orElseThrow().getMessage();
    }
}
