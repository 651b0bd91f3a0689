package io.regfleet.registry.metadata.postgres;

import io.regfleet.dev.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;

import java.util.Map;

/** A throwaway PostgreSQL 18 (embedded binaries) with the registry's Flyway schema in {@code database}. */
final class MigratedPostgres {
    private MigratedPostgres() {
    }

    static EmbeddedPostgresServer start(String database) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.temporary(Map.of()).start().createDatabase(database);
        Flyway.configure().dataSource(server.jdbcUrl(database), EmbeddedPostgresServer.SUPERUSER, "postgres").load()
                .migrate();
        return server;
    }
}
