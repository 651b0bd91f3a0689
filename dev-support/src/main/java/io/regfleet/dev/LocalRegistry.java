package io.regfleet.dev;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code make run}: a real PostgreSQL from the embedded binaries (data kept in {@code .regfleet/pgdata}, so pushed
 * images survive restarts) and the registry on 127.0.0.1:5000 with its blobs in {@code .regfleet/blobs}.
 * Ctrl-C stops both. {@code -Dregfleet.run.auth=on} turns access control on and {@code -Dregfleet.run.tls=on} TLS
 * ({@link LocalAccess}).
 */
public final class LocalRegistry {
    private LocalRegistry() {
    }

    /**
     * This launcher's own settings (regfleet.runtime.jar: which registry to start, see RegistryProcess); every other
     * {@code -Dregfleet.*} goes to the registry (e.g. regfleet.blob.verify-reads), which refuses names it does not know.
     */
    private static final Set<String> OWN = Set.of("regfleet.home", "regfleet.port", "regfleet.postgres.port",
            "regfleet.management.port", "regfleet.runtime.jar", "regfleet.run.auth", "regfleet.run.tls");

    static Map<String, String> registrySettings() {
        Map<String, String> settings = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("regfleet.") && !OWN.contains(name))
                .forEach(name -> settings.put(name, System.getProperty(name)));
        return settings;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("regfleet.home", ".regfleet")).toAbsolutePath();
        int registryPort = Integer.getInteger("regfleet.port", 5000);
        int postgresPort = Integer.getInteger("regfleet.postgres.port", 54329);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.persistent(home.resolve("pgdata"), postgresPort,
                Map.of("max_connections", "50")).start().createDatabase("regfleet");
        System.out.printf("PostgreSQL 18 on 127.0.0.1:%d (data in %s)%n", postgresPort, home.resolve("pgdata"));
        boolean auth = "on".equals(System.getProperty("regfleet.run.auth"));
        boolean tls = "on".equals(System.getProperty("regfleet.run.tls"));
        RegistryProcess registry = RegistryProcess.builder()
                .port(registryPort)
                .managementPort(Integer.getInteger("regfleet.management.port", 9000))
                .property("quarkus.datasource.jdbc.url", postgres.jdbcUrl("regfleet"))
                .property("quarkus.datasource.username", EmbeddedPostgresServer.SUPERUSER)
                .property("quarkus.datasource.password", "postgres")
                .property("regfleet.storage.filesystem.root", home.resolve("blobs"))
                .properties(auth ? LocalAccess.auth(home) : Map.of())
                .properties(tls ? LocalAccess.tls(home) : Map.of())
                .properties(registrySettings())
                .inheritIo()
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.stop();
            postgres.stop();
            System.out.println("registry and PostgreSQL stopped");
        }, "local-registry-shutdown"));
        registry.start().awaitReady(Duration.ofSeconds(60));
        String hostPort = "127.0.0.1:" + registry.port();
        System.out.printf("%nRegfleet registry ready at %s://%s (metrics and health at %s/q/...). Ctrl-C stops it.%n",
                tls ? "https" : "http", hostPort, registry.managementUrl());
        if (auth) {
            System.out.println(LocalAccess.loginHelp(home, hostPort, tls));
        }
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
