package io.regfleet.registry.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.PodUsage;
import io.regfleet.registry.PostgresTestResource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod agent against a real PostgreSQL: auth, generations, usage vs pg_stat_activity, live resize under load. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PodAgentTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void missingOrWrongTokenIs401() throws Exception {
        assertEquals(401, send("GET", "/fleet/usage", null, null).statusCode());
        assertEquals(401, send("GET", "/fleet/usage", null, "Bearer wrong").statusCode());
        assertEquals(401, send("GET", "/fleet/usage", null, PostgresTestResource.AGENT_TOKEN).statusCode(), "no Bearer prefix");
        assertEquals(401, send("PUT", "/fleet/allocation", "{\"generation\":99999,\"poolMax\":1,\"workers\":1}", "Bearer x").statusCode());
        assertEquals(200, send("GET", "/fleet/usage", null, bearer()).statusCode());
    }

    @Test
    void newerGenerationsApplyOlderOnesAreIgnored() throws Exception {
        long generation = usage().generation() + 10;
        AllocationStatus applied = allocate(generation, 4, 7);
        assertEquals(generation, applied.generation());
        assertEquals(4, applied.poolMax());
        assertEquals(7, applied.workers());
        assertFalse(applied.stale());
        AllocationStatus again = allocate(generation, 4, 7);
        assertEquals(applied.generation(), again.generation(), "idempotent");
        AllocationStatus stale = allocate(generation - 1, 1, 1);
        assertTrue(stale.stale());
        assertEquals(4, stale.poolMax());
        assertEquals(7, stale.workers());
        assertEquals(400, send("PUT", "/fleet/allocation", "{\"generation\":1,\"poolMax\":0,\"workers\":1}", bearer()).statusCode());
        assertEquals(400, send("PUT", "/fleet/allocation", "not json", bearer()).statusCode());
        allocate(generation + 1, 8, 16);
    }

    /** A valid token is not a licence: the pool maximum stays under the database's limit, generations stay plausible. */
    @Test
    void implausibleAllocationsAreClampedOrRefused() throws Exception {
        long generation = usage().generation() + 10;
        AllocationStatus clamped = allocate(generation, 100_000, 1_000_000);
        assertEquals(40, clamped.poolMax(), "no more than the test database's max_connections");
        assertEquals(1024, clamped.workers(), "no more than the workers ceiling");

        long farAhead = System.currentTimeMillis() + java.time.Duration.ofDays(2).toMillis();
        var refused = send("PUT", "/fleet/allocation", "{\"generation\":" + farAhead + ",\"poolMax\":4,\"workers\":4}", bearer());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("ahead of this pod's clock"), refused.body());
        var max = send("PUT", "/fleet/allocation", "{\"generation\":9223372036854775807,\"poolMax\":4,\"workers\":4}", bearer());
        assertEquals(400, max.statusCode());
        assertEquals(generation, usage().generation(), "nothing was applied");

        AllocationStatus next = allocate(generation + 1, 8, 16);
        assertEquals(8, next.poolMax(), "later allocations still apply");
        assertFalse(send("PUT", "/fleet/allocation", "{\"generation\": tru", bearer()).body().contains("jackson"),
                "the JSON parser's text is not echoed");
    }

    @Test
    void usageAgreesWithPgStatActivity() throws Exception {
        allocate(usage().generation() + 1, 8, 16);
        runLoad(8, Duration.ofSeconds(2), null);
        PodUsage usage = usage();
        int seen = pgConnections();
        assertTrue(Math.abs(usage.open() - seen) <= 1, "agent says " + usage.open() + " open, pg_stat_activity " + seen);
        assertTrue(usage.requestsPerSecond() > 0);
        assertTrue(usage.activePeak() >= 1);
        assertTrue(usage.cpuLimit() > 0);
    }

    /**
     * Grow then shrink while 12 clients keep asking. A lock on the blob table makes every request hold its connection
     * inside PostgreSQL, so demand exceeds any maximum: pg_stat_activity shows the pool at exactly its maximum.
     */
    @Test
    void liveResizeUnderLoadIsFollowedByPostgres() throws Exception {
        long generation = usage().generation();
        allocate(++generation, 6, 24);
        // an earlier test may have left more open: the shrink completes (busy ones retire) before demand is held
        long settle = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pgConnections() > 6 && System.nanoTime() < settle) {
            Thread.sleep(20);
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService load = Executors.newSingleThreadExecutor();
        load.submit(() -> {
            runLoadUntil(12, loading);
            return null;
        });
        int grown;
        try (Connection lock = PostgresTestResource.server.superuserConnection("regfleet")) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE blob IN ACCESS EXCLUSIVE MODE");
            grown = awaitConnections(6, Duration.ofSeconds(10));
            int peak = 0;
            for (int i = 0; i < 20; i++) {
                peak = Math.max(peak, pgConnections());
                Thread.sleep(25);
            }
            assertEquals(6, grown, "grew to the new maximum under demand");
            assertTrue(peak <= 6, "never above the maximum of 6: " + peak);
            lock.commit();
        }
        long shrinkStarted = System.nanoTime();
        AllocationStatus shrunk = allocate(++generation, 2, 24);
        assertEquals(2, shrunk.poolMax());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long shrinkDone = 0;
        while (System.nanoTime() < deadline) {
            if (pgConnections() <= 2) {
                shrinkDone = System.nanoTime();
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(shrinkDone > 0, "pg_stat_activity never fell to 2");
        int peakAfterShrink = 0;
        long samplesUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < samplesUntil) {
            peakAfterShrink = Math.max(peakAfterShrink, pgConnections());
            Thread.sleep(20);
        }
        loading.set(false);
        load.shutdown();
        System.out.printf("[figures] live resize: grew to %d under demand; shrink 6 -> 2 reached in pg_stat_activity after %d ms"
                + " under load; peak after it %d%n", grown, (shrinkDone - shrinkStarted) / 1_000_000, peakAfterShrink);
        assertTrue(peakAfterShrink <= 2, "stayed at or below 2 under load: " + peakAfterShrink);
        allocate(++generation, 8, 16);
    }

    /** Waits until this pod holds {@code wanted} connections; returns the count seen last. */
    private static int awaitConnections(int wanted, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        int seen = pgConnections();
        while (seen < wanted && System.nanoTime() < end) {
            Thread.sleep(25);
            seen = pgConnections();
        }
        return seen;
    }

    private void runLoad(int clients, Duration duration, AtomicInteger peak) throws Exception {
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        var future = pool.submit(() -> {
            runLoadUntil(clients, loading);
            return null;
        });
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            if (peak != null) {
                peak.accumulateAndGet(pgConnections(), Math::max);
            }
            Thread.sleep(50);
        }
        loading.set(false);
        future.get();
        pool.shutdown();
    }

    /** Clients pushing and pulling small blobs (each request borrows a connection for a few queries). */
    private void runLoadUntil(int clients, AtomicBoolean loading) throws Exception {
        String base = "http://localhost:" + io.quarkus.arc.Arc.container().instance(io.regfleet.registry.http.ApiServer.class).get().port();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int client = i;
            Thread t = Thread.ofPlatform().start(() -> {
                byte[] blob = ("blob-" + client + "-" + System.nanoTime()).getBytes();
                String digest = io.regfleet.registry.oci.Digest.sha256Of(blob).toString();
                String repo = "load/c" + client;
                try {
                    int pushed;
                    do { // a push shed under this very load (503) is retried, as a client does
                        pushed = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/?digest=" + digest))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                    } while (pushed == 503);
                    assertEquals(201, pushed);
                    while (loading.get()) {
                        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/" + digest))
                                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                        assertTrue(r.statusCode() == 200 || r.statusCode() == 503, "status " + r.statusCode());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** This pod's connections: its pool's and its metadata cache's listener (counted inside its allocation). */
    static int pgConnections() throws Exception {
        try (Connection c = PostgresTestResource.server.superuserConnection("postgres");
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name IN (?, ?)")) {
            s.setString(1, PostgresTestResource.APPLICATION_NAME);
            s.setString(2, PostgresTestResource.APPLICATION_NAME + "/listen");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static PodUsage usage() throws Exception {
        HttpResponse<String> r = send("GET", "/fleet/usage", null, bearer());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readValue(r.body(), PodUsage.class);
    }

    private static AllocationStatus allocate(long generation, int poolMax, int workers) throws Exception {
        HttpResponse<String> r = send("PUT", "/fleet/allocation",
                "{\"generation\":" + generation + ",\"poolMax\":" + poolMax + ",\"workers\":" + workers + "}", bearer());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readValue(r.body(), AllocationStatus.class);
    }

    private static String bearer() {
        return "Bearer " + PostgresTestResource.AGENT_TOKEN;
    }

    private static HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
