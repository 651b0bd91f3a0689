package io.regfleet.e2e;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.RegistryProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** Tests of two registry JVMs, {@link #a} and {@link #b}, on one PostgreSQL and one blob folder. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReplicaPairTest {
    protected EmbeddedPostgresServer postgres;
    protected RegistryProcess a;
    protected RegistryProcess b;
    private ReplicaPair pair;

    /** The Registry name the pair's connections carry. */
    protected abstract String registryName();

    /** Settings both replicas start with. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    @BeforeAll
    void startPair(@TempDir Path blobs) {
        pair = ReplicaPair.start(blobs, registryName(), settings());
        postgres = pair.postgres();
        a = pair.a();
        b = pair.b();
    }

    @AfterAll
    void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }
}
