package io.regfleet.e2e;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.RegistryProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Two registry JVMs, {@code a} and {@code b}, on one PostgreSQL and one blob folder; closing stops all three. */
record ReplicaPair(EmbeddedPostgresServer postgres, RegistryProcess a, RegistryProcess b) implements AutoCloseable {

    static ReplicaPair start(Path blobs, String registry, Map<String, String> settings) {
        EmbeddedPostgresServer postgres = Fleets.database();
        RegistryProcess a = Fleets.replica(postgres, blobs, registry, "a", settings).start();
        RegistryProcess b = Fleets.replica(postgres, blobs, registry, "b", settings).start();
        ReplicaPair pair = new ReplicaPair(postgres, a, b);
        try {
            a.awaitReady(Duration.ofSeconds(60));
            b.awaitReady(Duration.ofSeconds(60));
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    @Override
    public void close() {
        a.stop();
        b.stop();
        postgres.close();
    }
}
