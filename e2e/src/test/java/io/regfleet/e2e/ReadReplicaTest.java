package io.regfleet.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.StreamingReplica;
import io.regfleet.fleet.FleetApi;
import io.regfleet.fleet.PodSetting;
import io.regfleet.fleet.PodUsage;
import io.regfleet.fleet.ReplicaReport;
import io.regfleet.fleet.local.FleetOptions;
import io.regfleet.fleet.local.LocalFleet;
import io.regfleet.fleet.local.Replica;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static io.regfleet.e2e.FleetObserver.figure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A primary and one streaming replica (two real PostgreSQL servers, the second a hot standby of the first), a fleet
 * of two registry processes reading from both, its pools on each rebalanced by demand (the metadata cache off, so
 * every read reaches a server). Reads that tolerate lag spread to the replica; a push through one pod is pulled at
 * once through the other; a read load through one pod grows its replica pool within the fleet's part of the replica;
 * a replica that lags or stops is quarantined (reads go to the primary) and rejoins; PostgreSQL's own count of the
 * fleet's sessions on each server stays within that server's budget.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReplicaTest {
    private static final Duration MAX_LAG = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalFleet fleet;
    private static EmbeddedPostgresServer standby;
    private static Replica a;
    private static Replica b;
    private static String replica;

    @BeforeAll
    static void start() {
        fleet = LocalFleet.start(FleetOptions.defaults()
                .withReplicas(2, 2)
                .withMaxConnections(30)
                .withRebalance(25)
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withDatabaseLatency(Duration.ofMillis(3)) // a read holds its replica connection a network hop long
                .withReadReplicas(1)
                .withExtraProperties(Map.of(PodSetting.DB_REPLICA_MAX_LAG.property(), MAX_LAG.toSeconds() + "S",
                        "regfleet.cache.enabled", "false",
                        "quarkus.log.level", "WARN", "quarkus.log.category.\"io.regfleet\".level", "INFO")));
        standby = fleet.readReplicas().getFirst();
        replica = fleet.replicaRebalancers().keySet().iterator().next(); // the standby, through its latency proxy
        a = fleet.replicas().get(0);
        b = fleet.replicas().get(1);
    }

    @AfterAll
    static void stop() throws Exception {
        Fleets.closeAll(fleet);
    }

    @Test
    @Order(1)
    void readsSpreadAndAPushThroughOnePodIsPulledAtOnceThroughTheOther() throws Exception {
        awaitReports(r -> r.serving(), "both pods serving reads from the replica");
        FleetLimits part = fleet.replicaRebalancers().get(replica).limits();
        assertEquals(part.floor(), Integer.parseInt(fleet.setting(PodSetting.POOL_REPLICA_MAX_SIZE)), "the pools start at the floor");
        try (ConnectionSampler onPrimary = new ConnectionSampler(fleet.database());
             ConnectionSampler onReplica = new ConnectionSampler(standby)) {
            int images = 30, tagListsSeeingTheTag = 0;
            for (int i = 0; i < images; i++) {
                Pushed pushed = Pushed.image(a.api().toString(), "rr/app", "t" + i, i);
                HttpResponse<byte[]> byDigest = Http.send("GET", b.api() + "/v2/rr/app/manifests/" + pushed.digest(), null,
                        "Accept", Pushed.MEDIA_TYPE);
                assertEquals(200, byDigest.statusCode(), "pushed through " + a.name() + ", pulled at once by digest through " + b.name());
                assertArrayEquals(pushed.manifest(), byDigest.body());
                HttpResponse<byte[]> byTag = Http.send("GET", b.api() + "/v2/rr/app/manifests/t" + i, null, "Accept", Pushed.MEDIA_TYPE);
                assertEquals(200, byTag.statusCode());
                assertEquals(pushed.digest(), byTag.headers().firstValue("Docker-Content-Digest").orElseThrow());
                if (new String(Http.send("GET", b.api() + "/v2/rr/app/tags/list", null).body()).contains("\"t" + i + "\"")) {
                    tagListsSeeingTheTag++;
                }
            }
            // load that reaches the database (tag lists are not cached) on both pods
            for (int i = 0; i < 200; i++) {
                Replica pod = i % 2 == 0 ? a : b;
                assertEquals(200, Http.send("GET", pod.api() + "/v2/rr/app/tags/list", null).statusCode());
            }
            Map<String, Long> replicaReads = new TreeMap<>();
            for (Replica pod : List.of(a, b)) {
                ReplicaReport report = reports(pod).getFirst();
                replicaReads.put(pod.name(), report.readsTotal());
                assertTrue(report.readsTotal() > 0, pod.name() + " read nothing from the replica: " + report);
                assertTrue(report.poolMax() <= part.poolCeiling(), report + " above the ceiling " + part.poolCeiling());
            }
            int primaryBudget = fleet.limits().available();
            assertTrue(onPrimary.peak() <= primaryBudget, "primary: peak " + onPrimary.peak() + " > budget " + primaryBudget);
            assertTrue(onReplica.peak() <= part.available(), "replica: peak " + onReplica.peak() + " > the fleet's part " + part.available());
            figure("read-replicas", ("%d images pushed through %s and pulled at once through %s: all %d by digest and by tag; "
                            + "tag list at once saw the new tag %d/%d; replica reads per pod %s; peak sessions primary %d / budget %d, "
                            + "replica %d / %d (the fleet's part, floor %d per pod)").formatted(images, a.name(), b.name(), images,
                    tagListsSeeingTheTag, images, replicaReads, onPrimary.peak(), primaryBudget, onReplica.peak(), part.available(),
                    part.floor()));
        }
    }

    /**
     * Manifest GETs by digest through one pod (read on the replica): its replica pool grows above the floor, and above
     * the even share of the two pods, within a few rounds of the replica's rebalancer (the other pod's lowered to make
     * room), the pools' maxima summing within the fleet's part of the replica at every round, and the replica's own
     * count of the fleet's sessions within it.
     */
    @Test
    @Order(2)
    void aReadLoadThroughOnePodGrowsItsReplicaPoolWithinTheReplicasBudget() throws Exception {
        awaitReports(ReplicaReport::serving, "both pods serving reads from the replica");
        FleetLimits part = fleet.replicaRebalancers().get(replica).limits();
        List<RebalanceReport> rounds = new CopyOnWriteArrayList<>();
        fleet.replicaRebalancers().get(replica).rebalancer().addListener(rounds::add);
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            digests.add(Pushed.image(a.api().toString(), "rr/load", "l" + i, 3000 + i).digest());
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        long started = System.nanoTime();
        int grown;
        try (ConnectionSampler onReplica = new ConnectionSampler(standby)) {
            for (int c = 0; c < 32; c++) {
                String digest = digests.get(c % digests.size());
                clients.add(Thread.ofPlatform().start(() -> {
                    while (loading.get()) {
                        assertEquals(200, Http.send("GET", a.api() + "/v2/rr/load/manifests/" + digest, null,
                                "Accept", Pushed.MEDIA_TYPE).statusCode());
                    }
                }));
            }
            try {
                int evenShare = part.available() / 2;
                grown = awaitReplicaPool(a, pool -> pool > evenShare, "the loaded pod's replica pool above the floor "
                        + part.floor() + " and the even share " + evenShare);
            } finally {
                loading.set(false);
                for (Thread t : clients) {
                    t.join();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            int roundsTaken = rounds.size();
            long mostCommitted = 0;
            int mostSummed = 0;
            for (RebalanceReport round : rounds) {
                int summed = round.pods().stream().mapToInt(PodReport::poolMax).sum();
                assertTrue(summed <= part.available() && round.committed() <= part.available(),
                        "a round over the fleet's part " + part.available() + ": " + round);
                mostSummed = Math.max(mostSummed, summed);
                mostCommitted = Math.max(mostCommitted, round.committed());
            }
            assertTrue(onReplica.peak() <= part.available(), "replica: peak " + onReplica.peak() + " > the fleet's part " + part.available());
            // The other pod's pool as the round that raised the loaded one left it: two agents read one after the
            // other could straddle a later round (the load has stopped, so pools move back), and add up to more than
            // any instant held. The sums that matter are the rounds', checked above.
            RebalanceReport peak = rounds.stream().max(Comparator.comparingInt(
                    round -> round.pods().stream().mapToInt(PodReport::poolMax).max().orElse(0))).orElseThrow();
            int other = peak.pods().stream().mapToInt(PodReport::poolMax).min().orElseThrow();
            String line = ("replica pool of %s from the floor %d to %d (even share %d) under manifest GETs by digest (32 clients,"
                    + " %s per answer) in %.1f s, %d rounds of the replica's rebalancer (interval %s); %s lowered to %d; sum of"
                    + " replica pool maxima at most %d, committed at most %d, of the fleet's part %d (ceiling %d) at every round;"
                    + " peak sessions on the replica %d").formatted(a.name(), part.floor(), grown, part.available() / 2,
                    fleet.options().databaseLatency().toMillis() + " ms", seconds, roundsTaken, fleet.options().interval(),
                    b.name(), other, mostSummed, mostCommitted, part.available(), part.poolCeiling(), onReplica.peak());
            System.out.println("[figures] " + line);
            figure("read-replica-pools", line);
        }
    }

    @Test
    @Order(3)
    void aLaggingReplicaIsQuarantinedAndRejoinsWhenCaughtUp() throws Exception {
        awaitReports(ReplicaReport::serving, "serving before the test");
        StreamingReplica.pauseReplay(standby);
        long paused = System.nanoTime();
        try {
            Pushed pushed = Pushed.image(a.api().toString(), "rr/lag", "v1", 1000);
            awaitReports(r -> !r.serving() && r.reason().equals(ReplicaReport.LAGGING), "both pods quarantine the lagging replica");
            double quarantinedAfter = (System.nanoTime() - paused) / 1e9;
            for (Replica pod : List.of(a, b)) {
                assertEquals(200, Http.send("GET", pod.api() + "/v2/rr/lag/manifests/" + pushed.digest(), null,
                        "Accept", Pushed.MEDIA_TYPE).statusCode());
                assertTrue(new String(Http.send("GET", pod.api() + "/v2/rr/lag/tags/list", null).body()).contains("\"v1\""),
                        "with the replica quarantined the tag list comes from the primary");
            }
            figure("read-replicas-lag", "replay paused, a push, both pods quarantined the replica (Lagging) %.1f s after the pause (max lag %s)"
                    .formatted(quarantinedAfter, MAX_LAG));
        } finally {
            StreamingReplica.resumeReplay(standby);
        }
        awaitReports(ReplicaReport::serving, "both pods take the replica back once it caught up");
    }

    @Test
    @Order(4)
    void aStoppedReplicaIsQuarantinedPullsStillAnswerAndItRejoins() throws Exception {
        Pushed pushed = Pushed.image(a.api().toString(), "rr/stop", "v1", 2000);
        standby.stop();
        try {
            awaitReports(r -> !r.serving() && r.reason().equals(ReplicaReport.UNREACHABLE), "both pods quarantine the stopped replica");
            for (int i = 0; i < 50; i++) {
                Replica pod = i % 2 == 0 ? a : b;
                assertEquals(200, Http.send("GET", pod.api() + "/v2/rr/stop/tags/list", null).statusCode());
                assertEquals(200, Http.send("GET", pod.api() + "/v2/rr/stop/manifests/" + pushed.digest(), null,
                        "Accept", Pushed.MEDIA_TYPE).statusCode());
            }
        } finally {
            standby.start();
        }
        awaitReports(ReplicaReport::serving, "both pods take the restarted replica back");
    }

    // --- helpers

    /** Waits (up to {@link #WAIT}) until the pod's agent reports its replica pool's maximum as wanted; returns it. */
    private static int awaitReplicaPool(Replica pod, java.util.function.IntPredicate wanted, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int last = replicaPool(pod);
        while (!wanted.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT + ": " + what + "; last " + last);
            }
            Thread.sleep(100);
            last = replicaPool(pod);
        }
        return last;
    }

    /** The pod's replica pool maximum now, as its agent reports it ({@code GET /fleet/usage?replica=}). */
    private static int replicaPool(Replica pod) throws IOException, InterruptedException {
        HttpResponse<String> reply = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(pod.management() + FleetApi.USAGE
                        + "?" + FleetApi.REPLICA + "=" + replica))
                .header("Authorization", "Bearer " + fleet.agentToken()).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        return JSON.readValue(reply.body(), PodUsage.class).appliedPoolMax();
    }

    private static void awaitReports(Predicate<ReplicaReport> condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<ReplicaReport> last = List.of();
        while (System.nanoTime() < deadline) {
            last = List.of(reports(a).getFirst(), reports(b).getFirst());
            if (last.stream().allMatch(condition)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("not within " + WAIT + ": " + what + "; last reports " + last);
    }

    private static List<ReplicaReport> reports(Replica pod) throws IOException, InterruptedException {
        HttpResponse<String> reply = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(pod.management() + FleetApi.REPLICAS))
                .header("Authorization", "Bearer " + fleet.agentToken()).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        List<ReplicaReport> reports = JSON.readValue(reply.body(), new TypeReference<>() {
        });
        assertEquals(1, reports.size(), reply.body());
        return reports;
    }

    /** A one-layer image pushed by hand: its config made unique by {@code seed}. */
    record Pushed(String digest, byte[] manifest) {
        static final String MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";

        static Pushed image(String baseUrl, String repository, String tag, int seed) {
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}").getBytes();
            String configDigest = Http.sha256(config);
            assertEquals(201, Http.send("POST", baseUrl + "/v2/" + repository + "/blobs/uploads/?digest=" + configDigest, config,
                    "Content-Type", "application/octet-stream").statusCode());
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MEDIA_TYPE + "\",\"config\":"
                    + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                    + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes();
            assertEquals(201, Http.send("PUT", baseUrl + "/v2/" + repository + "/manifests/" + tag, manifest,
                    "Content-Type", MEDIA_TYPE).statusCode());
            return new Pushed(Http.sha256(manifest), manifest);
        }
    }
}
