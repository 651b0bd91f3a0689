package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PodState;
import io.regfleet.control.rebalance.RebalanceReport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

import static io.regfleet.fleet.local.FleetFixtures.await;
import static io.regfleet.fleet.local.FleetFixtures.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real fleet: two registry JVMs (at most three) on embedded PostgreSQL behind the front address, rebalanced. */
class LocalFleetTest {
    @Test
    void frontSpreadsTrafficRebalancerCoversEveryReplicaWithinBudgetAndAddedReplicaJoins() throws Exception {
        try (LocalFleet fleet = LocalFleet.start(FleetFixtures.twoOfThreeEverySecond())) {
            assertEquals(3, fleet.limits().slots());
            assertTrue((long) fleet.limits().floor() * fleet.limits().slots() <= fleet.limits().available());

            for (int i = 0; i < 6; i++) {
                assertEquals(200, get(fleet.front().resolve("/v2/")), "GET /v2/ through the front address");
            }

            RebalanceReport both = await(fleet, r -> names(r).containsAll(Set.of("replica-1", "replica-2"))
                    && r.pods().stream().allMatch(p -> p.state() == PodState.SERVING && p.requestsPerSecond() > 0));
            assertTrue(both.committed() <= both.limits().available(),
                    "committed " + both.committed() + " of " + both.limits().available());
            assertEquals(1, both.emptySlots(), "the third slot is kept at the floor");

            Replica third = fleet.addReplica();
            assertEquals("replica-3", third.name());
            assertEquals(200, get(third.api().resolve("/v2/")));
            Instant added = Instant.now();
            RebalanceReport later = await(fleet, r -> r.at().isAfter(added) && names(r).contains("replica-3")
                    && r.pods().stream().allMatch(p -> p.state() == PodState.SERVING));
            assertEquals(0, later.emptySlots());
            assertTrue(later.committed() <= later.limits().available(),
                    "committed " + later.committed() + " of " + later.limits().available());

            // each replica's pool sessions and the one session of its metadata cache's notice listener
            assertEquals(Set.of("regfleet/local-fleet/replica-1", "regfleet/local-fleet/replica-2",
                    "regfleet/local-fleet/replica-3", "regfleet/local-fleet/replica-1/listen",
                    "regfleet/local-fleet/replica-2/listen", "regfleet/local-fleet/replica-3/listen"),
                    applicationNamesAfterDatabaseWork(fleet));

            IllegalStateException full = assertThrows(IllegalStateException.class, fleet::addReplica);
            assertTrue(full.getMessage().contains("3 slots"), full.getMessage());
            assertTrue(AllocationTable.format(later).contains("replica-3"));
        }
    }

    /**
     * A slow database, without a rebalancer, blobs on S3Proxy: a blob pushed through the front address comes back
     * intact (the proxies stream both ways) and the replica keeps the whole even split. This is also the packaged
     * registry's S3 path end to end (its S3 client once failed to start for want of commons-logging in quarkus-app).
     */
    @Test
    void staticSplitBehindALatencyProxyServesPushesOnS3() throws Exception {
        FleetOptions options = FleetOptions.defaults()
                .withReplicas(1, 2)
                .withMaxConnections(40)
                .withStaticSplit()
                .withS3(true)
                .withDatabaseLatency(Duration.ofMillis(2));
        try (LocalFleet fleet = LocalFleet.start(options)) {
            assertNull(fleet.rebalancer());
            FleetLimits limits = fleet.limits();
            assertEquals(Math.min(options.poolMaximum(), limits.available() / 2), limits.floor());
            assertFalse(fleet.replicaJdbcUrl().contains(":" + fleet.database().port() + "/"),
                    "replicas reach PostgreSQL through the latency proxy: " + fleet.replicaJdbcUrl());

            byte[] blob = new byte[300_000];
            ThreadLocalRandom.current().nextBytes(blob);
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
            URI front = fleet.front();
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<Void> pushed = http.send(HttpRequest.newBuilder(front.resolve("/v2/fleet/slow/blobs/uploads/?digest=" + digest))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.discarding());
                assertEquals(201, pushed.statusCode(), () -> fleet.replica("replica-1").process().logTail());
                HttpResponse<byte[]> pulled = http.send(HttpRequest.newBuilder(front.resolve("/v2/fleet/slow/blobs/" + digest)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, pulled.statusCode());
                assertArrayEquals(blob, pulled.body());
            }
            assertTrue(fleet.reports().isEmpty());
        }
    }

    /**
     * Application names of the replicas' sessions (pool and listener), right after every replica did database work (an idle pool is
     * emptied when its maximum changes, so sessions come and go).
     */
    private static Set<String> applicationNamesAfterDatabaseWork(LocalFleet fleet) throws Exception {
        Set<String> names = Set.of();
        // two names a replica: its pool's and its notice listener's
        for (int attempt = 0; attempt < 20 && names.size() < 2 * fleet.replicas().size(); attempt++) {
            for (Replica r : fleet.replicas()) {
                assertEquals(404, get(r.api().resolve("/v2/fleet/none/tags/list")), "an unknown repository");
            }
            names = applicationNames(fleet);
        }
        return names;
    }

    private static Set<String> applicationNames(LocalFleet fleet) throws SQLException {
        try (Connection c = fleet.database().superuserConnection("regfleet");
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT DISTINCT application_name FROM pg_stat_activity WHERE application_name LIKE 'regfleet/%'")) {
            Set<String> names = new TreeSet<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    /** A new client each time, so each request is a new TCP connection the front address places. */
    private static int get(URI uri) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
