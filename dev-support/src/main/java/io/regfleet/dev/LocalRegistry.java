package io.regfleet.dev;

import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code make run}: a real PostgreSQL from the embedded binaries (data kept in {@code .regfleet/pgdata}, so pushed
 * images survive restarts) and the registry on 127.0.0.1:5000 with its blobs in {@code .regfleet/blobs}.
 * Ctrl-C stops both. {@code make images} starts the same pair with {@link #start} to push into it; tests start
 * throwaway ones with {@link #startTemporary}. {@code -Dregfleet.run.auth=on} turns access control on and
 * {@code -Dregfleet.run.tls=on} TLS ({@link LocalAccess}).
 */
public final class LocalRegistry {
    private static final String AUTH = "regfleet.run.auth";
    private static final String TLS = "regfleet.run.tls";

    private LocalRegistry() {
    }

    private static boolean on(String property) {
        return "on".equals(System.getProperty(property));
    }

    /** The running pair; closing it stops both (a persistent pair's data stays in its home folder). */
    public record Running(EmbeddedPostgresServer postgres, RegistryProcess registry) implements AutoCloseable {
        @Override
        public void close() {
            registry.stop();
            postgres.stop();
        }
    }

    /**
     * Starts PostgreSQL and the registry with their data in {@code home} and waits until the registry is ready.
     * Ports: system properties {@code regfleet.port} (5000), {@code regfleet.management.port} (9000),
     * {@code regfleet.postgres.port} (54329). {@code log}: the registry's output file, or null for this terminal.
     */
    public static Running start(Path home, Path log) {
        int postgresPort = Integer.getInteger("regfleet.postgres.port", 54329);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.persistent(home.resolve("pgdata"), postgresPort,
                Map.of("max_connections", "50")).start().createDatabase("regfleet");
        System.out.printf("PostgreSQL 18 on 127.0.0.1:%d (data in %s)%n", postgresPort, home.resolve("pgdata"));
        RegistryProcess.Builder builder = builder(postgres, home.resolve("blobs"))
                .properties(on(AUTH) ? LocalAccess.auth(home) : Map.of())
                .properties(on(TLS) ? LocalAccess.tls(home) : Map.of())
                .properties(registrySettings())
                .port(Integer.getInteger("regfleet.port", PodContract.HTTP_PORT))
                .managementPort(Integer.getInteger("regfleet.management.port", PodContract.MANAGEMENT_PORT));
        // -Dregfleet.database-latency-ms=5: the registry reaches PostgreSQL through a hop that delays every answer
        long latencyMs = Long.getLong("regfleet.database-latency-ms", 0);
        LatencyProxy hop = latencyMs > 0 ? LatencyProxy.start("127.0.0.1", postgresPort, Duration.ofMillis(latencyMs)) : null;
        if (hop != null) {
            builder.property(PodSetting.JDBC_URL.property(), "jdbc:postgresql://127.0.0.1:" + hop.port() + "/regfleet");
        }
        Running running = new Running(postgres, (log == null ? builder.inheritIo() : builder.log(log)).build());
        // stops both on Ctrl-C, also while the registry is still starting
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            System.out.println("registry and PostgreSQL stopped");
        }, "local-registry-shutdown"));
        running.registry().start().awaitReady(Duration.ofSeconds(60));
        return running;
    }

    /**
     * A throwaway pair for a build or a test: a new PostgreSQL and the registry on free ports, blobs in {@code blobs};
     * ready when returned.
     */
    public static Running startTemporary(Path blobs) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.temporary(Map.of("max_connections", "50")).start()
                .createDatabase("regfleet");
        Running running = new Running(postgres, builder(postgres, blobs).build());
        try {
            running.registry().start().awaitReady(Duration.ofSeconds(60));
            return running;
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    private static RegistryProcess.Builder builder(EmbeddedPostgresServer postgres, Path blobs) {
        return RegistryProcess.builder()
                .property(PodSetting.JDBC_URL.property(), postgres.jdbcUrl("regfleet"))
                .property(PodSetting.DB_USERNAME.property(), EmbeddedPostgresServer.SUPERUSER)
                .property(PodSetting.DB_PASSWORD.property(), "postgres")
                .property(PodSetting.STORAGE_FILESYSTEM_ROOT.property(), blobs);
    }

    /**
     * This launcher's own settings; every other {@code -Dregfleet.*} goes to the registry (e.g.
     * regfleet.blob.verify-reads), which refuses names it does not know.
     */
    private static final Set<String> OWN = Set.of("regfleet.home", "regfleet.port", "regfleet.postgres.port",
            "regfleet.management.port", "regfleet.database-latency-ms", RegistryProcess.RUNTIME_JAR_PROPERTY, AUTH,
            TLS);

    static Map<String, String> registrySettings() {
        Map<String, String> settings = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("regfleet.") && !OWN.contains(name))
                .forEach(name -> settings.put(name, System.getProperty(name)));
        return settings;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("regfleet.home", ".regfleet")).toAbsolutePath();
        RegistryProcess registry = start(home, null).registry();
        String hostPort = "127.0.0.1:" + registry.port();
        System.out.printf("%nRegfleet registry ready at %s://%s (metrics and health at %s/q/...). Ctrl-C stops it.%n",
                on(TLS) ? "https" : "http", hostPort, registry.managementUrl());
        if (on(AUTH)) {
            System.out.println(LocalAccess.loginHelp(home, hostPort, on(TLS)));
        }
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
