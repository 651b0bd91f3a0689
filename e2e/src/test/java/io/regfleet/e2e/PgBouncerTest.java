package io.regfleet.e2e;

import io.regfleet.control.pooler.PgBouncerSettings;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.PgBouncerProcess;
import io.regfleet.dev.RegistryProcess;
import io.regfleet.dev.oci.OciLayoutBuilder;
import io.regfleet.dev.oci.Skopeo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.regfleet.dev.oci.OciLayoutBuilder.KIB;
import static io.regfleet.dev.oci.OciLayoutBuilder.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registries behind the real PgBouncer (Debian's {@code pgbouncer}) in transaction mode, configured as the operator
 * configures it for spec.database.pooler (fleet-control's PgBouncerSettings): skopeo's round trip is byte-identical
 * through it, and the restart storm of ConnectionStormTest, with client pools together four times PgBouncer's server
 * side, never holds more server connections than max_db_connections.
 */
class PgBouncerTest {
    private static final int SERVER_CONNECTIONS = 6;
    private static final int REPLICAS = 3;
    private static final int POOL_MAX = 8;
    /** PgBouncer's server sessions: the pooled database's client backends (the sampler's own is on database postgres). */
    private static final String SERVER_SESSIONS = "datname = 'regfleet' AND backend_type = 'client backend'";

    static EmbeddedPostgresServer postgres;
    static PgBouncerProcess pgbouncer;

    @BeforeAll
    static void start(@TempDir Path blobs) {
        postgres = Fleets.database();
        // the schema first, straight to the database: Flyway holds a session-level advisory lock (the operator's
        // migration Job connects to the database itself too)
        try (RegistryProcess migrate = Fleets.replica(postgres, blobs, "migrate", "m0", Map.of()).start()) {
            migrate.awaitReady(Duration.ofSeconds(90));
        }
        PgBouncerSettings.Server server = new PgBouncerSettings.Server("127.0.0.1", postgres.port(), "regfleet", "postgres",
                null, null);
        pgbouncer = PgBouncerProcess.start((port, auth) -> new PgBouncerSettings("127.0.0.1", port, server,
                SERVER_CONNECTIONS, 200, 0,
                new PgBouncerSettings.ServerTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(1))).ini(auth), PgBouncerSettings.userlist("postgres", "postgres"));
    }

    @AfterAll
    static void stop() throws Exception {
        Fleets.closeAll(pgbouncer, postgres);
    }

    @Test
    void skopeoRoundTripThroughPgBouncerIsByteIdentical(@TempDir Path blobs, @TempDir Path work) throws Exception {
        try (RegistryProcess registry = pooled(blobs, "skopeo", "s0").start().awaitReady(Duration.ofSeconds(90))) {
            Path layout = work.resolve("src");
            String manifest = OciLayoutBuilder.create(layout).image("v1", 100 * KIB, 3 * MIB, 1).digest();
            String target = "docker://127.0.0.1:" + registry.port() + "/e2e/pooled:v1";
            Skopeo.run(work, "copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":v1", target);
            String inspected = Skopeo.run(work, "inspect", "--raw", "--tls-verify=false", target);
            assertEquals(manifest, Http.sha256(inspected.getBytes()), "the registry serves the manifest it was given");
            Path back = work.resolve("back");
            Skopeo.run(work, "copy", "--preserve-digests", "--src-tls-verify=false", target, "oci:" + back + ":v1");
            SkopeoRoundTripTest.assertSameBlobs(layout, back);
            assertTrue(!registry.logTail().contains("prepared statement"), "no prepared statement crossed sessions: " + registry.logTail());
        }
    }

    @Test
    void restartStormsStayWithinPgBouncersServerConnections(@TempDir Path blobs) throws Exception {
        List<RegistryProcess> fleet = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            fleet.add(pooled(blobs, "storm", "r" + i).start());
        }
        try (ConnectionSampler sampler = new ConnectionSampler(postgres, SERVER_SESSIONS)) {
            fleet.forEach(p -> p.awaitReady(Duration.ofSeconds(90)));
            String manifest = Fleets.pushImage(fleet.getFirst().url());
            AtomicInteger next = new AtomicInteger();
            Map<Integer, Long> statuses;
            long missingRetryAfter;
            try (LoadGenerator load = new LoadGenerator(16, () -> fleet.get(Math.floorMod(next.getAndIncrement(), REPLICAS)).url() + manifest)) {
                ConnectionStormTest.restartStorms(fleet);
                statuses = load.statuses();
                missingRetryAfter = load.missingRetryAfter();
            }
            ConnectionStormTest.report("pgbouncer (transaction mode, max_db_connections " + SERVER_CONNECTIONS + "): "
                    + REPLICAS + " x client pool max " + POOL_MAX + " (" + REPLICAS * POOL_MAX + " client connections), " + ConnectionStormTest.STORMS + " kill -9 storms:"
                    + " peak " + sampler.peak() + " server connections; statuses " + statuses + "; samples " + sampler.count());
            assertTrue(sampler.count() > 0, "the sampler sampled");
            assertTrue(sampler.peak() <= SERVER_CONNECTIONS, "peak " + sampler.peak() + " > max_db_connections " + SERVER_CONNECTIONS);
            assertEquals(0, statuses.getOrDefault(500, 0L), "no 500s: " + statuses + "\n" + fleet.getFirst().logTail());
            assertTrue(statuses.getOrDefault(200, 0L) > 0, "the fleet served: " + statuses);
            assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 503), "only 200 or 503: " + statuses);
            assertEquals(0, missingRetryAfter, "every 503 carries Retry-After");
        } finally {
            fleet.forEach(RegistryProcess::kill);
        }
    }

    /** A registry pod as the operator configures one behind the pooler: PgBouncer's address, transaction-pooled. */
    private static RegistryProcess pooled(Path blobs, String registry, String pod) {
        return Fleets.replica(postgres, blobs, registry, pod, Map.of(
                "quarkus.datasource.jdbc.url", pgbouncer.jdbcUrl("regfleet") + "?sslmode=disable",
                "regfleet.db.transaction-pooled", "true",
                "regfleet.schema.migrate-at-start", "false",
                "regfleet.pool.max-size", String.valueOf(POOL_MAX)));
    }
}
