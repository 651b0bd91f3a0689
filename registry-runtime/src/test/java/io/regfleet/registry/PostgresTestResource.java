package io.regfleet.registry;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.regfleet.dev.EmbeddedPostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** A real PostgreSQL 18 (embedded binaries) and a temporary blob folder for the registry under test. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    public static EmbeddedPostgresServer server;
    public static final String AGENT_TOKEN = "test-agent-token-" + java.util.UUID.randomUUID();
    /** How this pod's connections are named in pg_stat_activity. */
    public static final String APPLICATION_NAME = "regfleet/test/pod-0";

    @Override
    public Map<String, String> start() {
        server = EmbeddedPostgresServer.temporary(Map.of("max_connections", "40")).start().createDatabase("regfleet");
        try {
            java.nio.file.Path token = Files.createTempFile("agent-token", "");
            Files.writeString(token, AGENT_TOKEN + "\n");
            return Map.of(
                    "regfleet.agent.token-file", token.toString(),
                    "regfleet.registry-name", "test",
                    "regfleet.pod-name", "pod-0",
                    "quarkus.datasource.jdbc.url", server.jdbcUrl("regfleet"),
                    "quarkus.datasource.username", EmbeddedPostgresServer.SUPERUSER,
                    "quarkus.datasource.password", "postgres",
                    "regfleet.storage.driver", "filesystem",
                    "regfleet.storage.filesystem.root", Files.createTempDirectory("regfleet-blobs").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
