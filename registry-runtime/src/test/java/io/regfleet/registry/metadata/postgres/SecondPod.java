package io.regfleet.registry.metadata.postgres;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.registry.governance.ListenerConnection;
import io.regfleet.registry.governance.ReplicaGovernance;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.cache.CacheSettings;
import io.regfleet.registry.metadata.cache.MetadataCache;
import io.regfleet.registry.metadata.postgres.replica.Lsn;
import io.regfleet.registry.metadata.postgres.replica.ReadReplicas;
import io.regfleet.registry.metadata.postgres.replica.ReplicaAddress;
import io.regfleet.registry.metadata.postgres.replica.ReplicaPool;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Another pod on the same primary and standby, in the test's JVM (it needs the registry's configuration): its own
 * store over connections of its own, its own replica pool and monitor, and its own notice listener. Its reads go
 * where its own routing sends them; it knows the other pod's writes only from their notices.
 */
public record SecondPod(ReadReplicas replicas, MetadataStore store, ChangeListener listener) implements AutoCloseable {
    public static final String APPLICATION_NAME = "regfleet/test/pod-b";

    public static SecondPod on(EmbeddedPostgresServer primary, String database, EmbeddedPostgresServer standby,
                               Duration maxLag) throws SQLException {
        SecondPod pod = of(primary, database, standby, maxLag);
        pod.listener().start();
        return pod;
    }

    /**
     * A pod whose listener never hears a notice, though it believes it hears them all: what any pod is while a
     * write's notice is still on its way to it. Only what a replica answers tells it of writes it has not heard.
     */
    public static SecondPod unaware(EmbeddedPostgresServer primary, String database, EmbeddedPostgresServer standby,
                                    Duration maxLag) throws SQLException {
        SecondPod pod = of(primary, database, standby, maxLag);
        pod.replicas().writes().listening(Lsn.ZERO, System.nanoTime());
        return pod;
    }

    /**
     * An {@link #unaware} pod whose store answers through a metadata cache that believes it hears every write, as a
     * listening pod's does: what it remembers, it remembers for the cache's whole ttl unless a notice says otherwise.
     */
    public static SecondPod unawareCached(EmbeddedPostgresServer primary, String database, EmbeddedPostgresServer standby,
                                          Duration maxLag) throws SQLException {
        SecondPod pod = of(primary, database, standby, maxLag, true);
        pod.replicas().writes().listening(Lsn.ZERO, System.nanoTime());
        return pod;
    }

    /** Hears one write notice ({@link WriteNotices}) as its listener would. */
    public void hear(EmbeddedPostgresServer primary, String database, String payload) throws SQLException {
        try (Connection c = primary.superuserConnection(database)) {
            listener.heardWrite(c, payload);
        }
    }

    private static SecondPod of(EmbeddedPostgresServer primary, String database, EmbeddedPostgresServer standby,
                                Duration maxLag) throws SQLException {
        return of(primary, database, standby, maxLag, false);
    }

    private static SecondPod of(EmbeddedPostgresServer primary, String database, EmbeddedPostgresServer standby,
                                Duration maxLag, boolean cached) throws SQLException {
        String url = primary.jdbcUrl(database);
        ReplicaPool pools = new ReplicaPool(url, EmbeddedPostgresServer.SUPERUSER, "postgres",
                Map.of("ApplicationName", APPLICATION_NAME), 2, Duration.ofMillis(250), Duration.ofMinutes(1),
                Duration.ofMinutes(30), ReplicaGovernance.STANDALONE);
        ReadReplicas replicas = new ReadReplicas(List.of(pools.open(new ReplicaAddress("127.0.0.1", standby.port()))), maxLag);
        Database db = new Database(() -> {
            Connection c = primary.superuserConnection(database);
            return new Database.Lease(c, c::close);
        }, replicas);
        ChangeListener listener = new ChangeListener(db, replicas.writes(),
                () -> DriverManager.getConnection(url + "?ApplicationName=" + APPLICATION_NAME + "/listen",
                        EmbeddedPostgresServer.SUPERUSER, "postgres"),
                new ListenerConnection(true, 10), Duration.ofSeconds(1));
        replicas.start();
        MetadataStore store = new PostgresMetadataStore(db);
        if (cached) {
            MetadataCache cache = new MetadataCache(new CacheSettings(1000, 1 << 20, Duration.ofMinutes(5),
                    Duration.ofSeconds(2)), System::nanoTime, true);
            db.subscribe(cache);
            store = cache.over(store);
        }
        return new SecondPod(replicas, store, listener);
    }

    @Override
    public void close() throws InterruptedException {
        listener.stop();
        replicas.stop();
    }
}
