package io.regfleet.dev;

import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code make run}: a real PostgreSQL from the embedded binaries (data kept in {@code .regfleet/pgdata}, so pushed
 * images survive restarts) and the registry on 127.0.0.1:5000 with its blobs in {@code .regfleet/blobs}.
 * Ctrl-C stops both.
 */
public final class LocalRegistry {
    private LocalRegistry() {
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("regfleet.home", ".regfleet")).toAbsolutePath();
        int registryPort = Integer.getInteger("regfleet.port", PodContract.HTTP_PORT);
        int postgresPort = Integer.getInteger("regfleet.postgres.port", 54329);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.persistent(home.resolve("pgdata"), postgresPort,
                Map.of("max_connections", "50")).start().createDatabase("regfleet");
        System.out.printf("PostgreSQL 18 on 127.0.0.1:%d (data in %s)%n", postgresPort, home.resolve("pgdata"));
        RegistryProcess registry = RegistryProcess.builder()
                .port(registryPort)
                .managementPort(Integer.getInteger("regfleet.management.port", PodContract.MANAGEMENT_PORT))
                .property(PodSetting.JDBC_URL.property(), postgres.jdbcUrl("regfleet"))
                .property(PodSetting.DB_USERNAME.property(), EmbeddedPostgresServer.SUPERUSER)
                .property(PodSetting.DB_PASSWORD.property(), "postgres")
                .property(PodSetting.STORAGE_FILESYSTEM_ROOT.property(), home.resolve("blobs"))
                .inheritIo()
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.stop();
            postgres.stop();
            System.out.println("registry and PostgreSQL stopped");
        }, "local-registry-shutdown"));
        registry.start().awaitReady(Duration.ofSeconds(60));
        System.out.printf("%nRegfleet registry ready at %s (metrics and health at %s/q/...). Ctrl-C stops it.%n",
                registry.url(), registry.managementUrl());
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
