package io.regfleet.operator.generated;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.operator.reconciler.EmbeddedPostgresResource;
import io.regfleet.operator.reconciler.S3ProxyResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * crds/ must hold exactly the CRD that the build generates from the Java model (Quarkus writes it to
 * target/kubernetes while the application is built for the tests; same test setup as the reconcile tests, so the
 * application is built once).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class CrdDriftTest {
    static final String CRD = "registries.regfleet.io-v1.yml";

    @Test
    void committedCrdMatchesTheGeneratedOne() throws IOException {
        Path generated = GeneratedFiles.MODULE.resolve("target/kubernetes").resolve(CRD);
        assertTrue(Files.exists(generated), "the build did not generate " + generated);
        GeneratedFiles.check(Map.of(CRD, Files.readString(generated)), GeneratedFiles.ROOT.resolve("crds"), "make crds");
    }
}
