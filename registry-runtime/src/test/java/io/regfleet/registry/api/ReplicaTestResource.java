package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.StreamingReplica;
import io.regfleet.registry.PostgresTestResource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PostgresTestResource}'s primary, and a hot standby streaming it ({@link StreamingReplica}) as the registry's
 * one read replica: quarantined beyond a second of lag, the metadata cache off so that every read reaches a server.
 */
public class ReplicaTestResource implements QuarkusTestResourceLifecycleManager {
    /** The primary and its standby only: not the module's global test resources (a primary without a standby). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ReplicaTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }


    static final String MAX_LAG = "1S";
    public static EmbeddedPostgresServer standby;
    private final PostgresTestResource primary = new PostgresTestResource();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(primary.start());
        standby = StreamingReplica.of(PostgresTestResource.server, "r1", Map.of("max_connections", "40"));
        config.put("regfleet.db.read-replicas", "127.0.0.1:" + standby.port());
        config.put("regfleet.db.replica-max-lag", MAX_LAG);
        config.put("regfleet.pool.replica-max-size", "3");
        config.put("regfleet.pool.replica-ceiling", "6");
        config.put("regfleet.pool.backoff-max", "1S"); // a standby started again is reconnected to within a second
        config.put("regfleet.cache.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        if (standby != null) {
            standby.close();
        }
        primary.stop();
    }
}
