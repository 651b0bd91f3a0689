package io.regfleet.fleet.local;

import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.probe.JdbcDatabaseLimitsProbe;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.FreePorts;
import io.regfleet.dev.LatencyProxy;
import io.regfleet.dev.S3ProxyServer;
import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every replica shares: one PostgreSQL (behind a latency proxy when the options ask for one) and one blob store
 * (a folder in the fleet's home, or an S3Proxy child process). Several fleets on it each have their own database and
 * blobs ({@link #replicaProperties(String, java.nio.file.Path)}); the server's connections are theirs to share.
 */
final class SharedServices implements AutoCloseable {
    static final String DATABASE = "regfleet";

    private final FleetOptions options;
    private final FleetHome home;
    private final int registries;
    private EmbeddedPostgresServer database;
    private LatencyProxy latencyProxy;
    private S3ProxyServer s3;
    private ReadReplicas readReplicas;

    /** @param registries the fleets that share the server (the read replicas' pools are split among all their pods) */
    SharedServices(FleetOptions options, FleetHome home, int registries) {
        this.options = options;
        this.home = home;
        this.registries = registries;
    }

    /** Starts PostgreSQL, the latency proxy and S3Proxy as asked; {@link #close()} stops whatever was started. */
    SharedServices start() {
        Map<String, String> config = Map.of("max_connections", Integer.toString(options.maxConnections()));
        database = options.home() != null
                ? EmbeddedPostgresServer.persistent(home.resolve("pgdata"),
                        options.postgresPort() != 0 ? options.postgresPort() : FreePorts.next(), config)
                : EmbeddedPostgresServer.temporary(config);
        if (options.home() == null) {
            home.deleteOnClose(database.dataDirectory());
        }
        database.start();
        if (!options.databaseLatency().isZero()) {
            latencyProxy = LatencyProxy.start("127.0.0.1", database.port(), options.databaseLatency());
        }
        if (options.s3()) {
            s3 = S3ProxyServer.start();
        }
        if (options.readReplicas() > 0) {
            readReplicas = ReadReplicas.start(database, options.readReplicas(), options,
                    options.maxReplicas() * registries);
        }
        return this;
    }

    EmbeddedPostgresServer database() {
        return database;
    }

    /** The hot standbys (empty without read replicas). */
    java.util.List<EmbeddedPostgresServer> readReplicas() {
        return readReplicas == null ? java.util.List.of() : readReplicas.standbys();
    }

    /** By standby ({@code host:port}), what a fleet's pods may hold there together; empty without read replicas. */
    Map<String, Integer> readReplicaParts() {
        return readReplicas == null ? Map.of() : readReplicas.parts(options.maxReplicas());
    }

    /** How the read replicas are shared out, or null without any. */
    String describeReadReplicas() {
        return readReplicas == null ? null : readReplicas.describe();
    }

    /** A fleet's own database (kept if it exists: a kept home) and, on S3, its bucket. */
    void createStore(String name) {
        database.createDatabase(name);
        if (s3 != null) {
            s3.createBucket(bucket(name));
        }
    }

    private static String bucket(String database) {
        return database.replace('_', '-');
    }

    /** The server as the control plane's own short connection sees it (not through the latency proxy). */
    ServerSnapshot probe() {
        try {
            return new JdbcDatabaseLimitsProbe(Duration.ofSeconds(5)).server(new DatabaseConnectionInfo("127.0.0.1",
                    database.port(), DATABASE, EmbeddedPostgresServer.SUPERUSER, "postgres", "disable"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's limits: " + e.getMessage(), e);
        }
    }

    /** How a replica of the fleet whose store is {@code name} reaches its database and blobs. */
    Map<String, String> replicaProperties(String name, Path blobs) {
        Map<String, String> p = new LinkedHashMap<>();
        int port = latencyProxy != null ? latencyProxy.port() : database.port();
        p.put(PodSetting.JDBC_URL.property(), "jdbc:postgresql://127.0.0.1:" + port + "/" + name);
        p.put(PodSetting.DB_USERNAME.property(), EmbeddedPostgresServer.SUPERUSER);
        p.put(PodSetting.DB_PASSWORD.property(), "postgres");
        if (s3 != null) {
            p.put(PodSetting.STORAGE_DRIVER.property(), PodContract.STORAGE_S3);
            p.put(PodSetting.STORAGE_S3_BUCKET.property(), bucket(name));
            p.put(PodSetting.STORAGE_S3_ENDPOINT.property(), s3.endpoint().toString());
            p.put(PodSetting.STORAGE_S3_REGION.property(), s3.region());
            p.put(PodSetting.STORAGE_S3_PATH_STYLE.property(), "true");
            p.put(PodSetting.STORAGE_S3_ACCESS_KEY_ID.property(), s3.accessKey());
            p.put(PodSetting.STORAGE_S3_SECRET_ACCESS_KEY.property(), s3.secretKey());
        } else {
            p.put(PodSetting.STORAGE_FILESYSTEM_ROOT.property(), blobs.toString());
        }
        if (readReplicas != null) {
            p.putAll(readReplicas.properties());
        }
        return p;
    }

    /**
     * Stops the proxy, S3Proxy, the read replicas and PostgreSQL (the fleets' replicas are stopped first); the first
     * failure is rethrown.
     */
    @Override
    public void close() {
        Closer.closeAll(latencyProxy, s3, readReplicas, database);
    }
}
