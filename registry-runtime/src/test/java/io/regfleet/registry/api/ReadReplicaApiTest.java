package io.regfleet.registry.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.dev.StreamingReplica;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.FleetApi;
import io.regfleet.fleet.PodUsage;
import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.ReplicaReport;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.metadata.postgres.SecondPod;
import io.regfleet.registry.metadata.postgres.replica.Lsn;
import io.regfleet.registry.metadata.postgres.replica.ReadReplicas;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static io.regfleet.registry.Await.until;
import static io.regfleet.registry.api.Oci.OCI_MANIFEST;
import static io.regfleet.registry.api.Oci.digest;
import static io.regfleet.registry.api.Oci.putManifest;
import static io.regfleet.registry.api.Oci.repo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A registry with one read replica, a real hot standby of its PostgreSQL ({@link ReplicaTestResource}): where each
 * read goes, read-your-writes in this pod and in another one while the standby replays nothing, and quarantine of a
 * standby that lags or is stopped, told by {@code /fleet/replicas}.
 */
@QuarkusTest
@TestProfile(ReplicaTestResource.Profile.class)
class ReadReplicaApiTest extends ApiTestBase {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void standbyRunningAndReplaying() {
        if (!ReplicaTestResource.standby.isRunning()) {
            ReplicaTestResource.standby.start();
        }
        StreamingReplica.resumeReplay(ReplicaTestResource.standby);
    }

    @Test
    void everyLagTolerantReadReachesTheReplicaAndAManifestByTagThePrimary() throws Exception {
        String repo = repo();
        byte[] manifest = Oci.imageManifest(repo, 1, null);
        putManifest(repo, "v1", OCI_MANIFEST, manifest).then().statusCode(201);
        String subject = digest(manifest);
        byte[] signature = Oci.imageManifest(repo, 0, "\"subject\":" + Oci.descriptor(OCI_MANIFEST, manifest));
        putManifest(repo, digest(signature), OCI_MANIFEST, signature).then().statusCode(201);
        String blob = Oci.pushBlob(repo, Oci.random(100));

        answeredByTheReplica("a manifest by digest", () -> assertArrayEquals(manifest,
                given().get("/v2/{n}/manifests/{d}", repo, subject).then().statusCode(200).extract().asByteArray()));
        answeredByTheReplica("a blob HEAD", () -> given().head("/v2/{n}/blobs/{d}", repo, blob).then().statusCode(200)
                .header("Content-Length", "100"));
        answeredByTheReplica("a tag list", () -> given().get("/v2/{n}/tags/list", repo).then().statusCode(200)
                .body("tags", equalTo(List.of("v1"))));
        answeredByTheReplica("the catalog", () -> given().get("/v2/_catalog?n=1000").then().statusCode(200)
                .body("repositories", hasItem(repo)));
        answeredByTheReplica("the referrers", () -> given().get("/v2/{n}/referrers/{d}", repo, subject).then()
                .statusCode(200).body("manifests[0].digest", equalTo(digest(signature))));

        long before = report().readsTotal();
        given().get("/v2/{n}/manifests/v1", repo).then().statusCode(200);
        assertEquals(before, report().readsTotal(), "a tag moves: a manifest by tag is read on the primary");

        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(management() + PodContract.METRICS_PATH)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String replica = "replica=\"" + report().replica() + "\"";
        assertTrue(metrics.contains("regfleet_replica_serving{" + replica + "} 1.0"), "serving, per replica");
        for (String meter : new String[] {"regfleet_replica_lag_seconds{", "regfleet_replica_connections_open{",
                "regfleet_replica_connections_active{", "regfleet_db_reads_total{server=\"primary\"}",
                "regfleet_db_reads_total{server=\"" + report().replica() + "\"}"}) {
            assertTrue(metrics.contains(meter), meter + " in the metrics");
        }
    }

    @Test
    void aPushIsReadBackAtOnceThroughThisPodAndAnotherWhileTheStandbyReplaysNothing() throws Exception {
        try (SecondPod other = SecondPod.on(PostgresTestResource.server, "regfleet", ReplicaTestResource.standby,
                Duration.ofSeconds(1))) {
            RepositoryName name = new RepositoryName(repo());
            String repo = name.value();
            Oci.pushImage(repo, "v0");
            until(() -> { // the other pod reads on the standby what it has replayed
                long before = other.replicas().reports().getFirst().readsTotal();
                assertEquals(List.of("v0"), other.store().tags(name, null, 10).orElseThrow().entries());
                return other.replicas().reports().getFirst().readsTotal() > before;
            }, "the other pod reads the tags on the standby");
            StreamingReplica.pauseReplay(ReplicaTestResource.standby);
            byte[] manifest = Oci.imageManifest(repo, 1, null);
            String blob = Oci.pushBlob(repo, Oci.random(64));
            long before = report().readsTotal();

            putManifest(repo, "v1", OCI_MANIFEST, manifest).then().statusCode(201);
            assertArrayEquals(manifest, given().get("/v2/{n}/manifests/{d}", repo, digest(manifest)).then().statusCode(200)
                    .extract().asByteArray());
            given().get("/v2/{n}/tags/list", repo).then().statusCode(200).body("tags", equalTo(List.of("v0", "v1")));
            given().head("/v2/{n}/blobs/{d}", repo, blob).then().statusCode(200);
            assertEquals(before, report().readsTotal(), "this pod's own writes: read on the primary");

            Lsn written = Arc.container().instance(ReadReplicas.class).get().writes().required(name).orElseThrow();
            until(() -> other.replicas().writes().required(name).filter(l -> l.reached(written)).isPresent(),
                    "the other pod heard where the push ended in the WAL");
            long otherBefore = other.replicas().reports().getFirst().readsTotal();
            assertTrue(other.store().manifest(name, new Reference.ByDigest(Digest.parse(digest(manifest)))).isPresent());
            assertEquals(List.of("v0", "v1"), other.store().tags(name, null, 10).orElseThrow().entries());
            assertTrue(other.store().blobSize(name, Digest.parse(blob)).isPresent());
            assertEquals(otherBefore, other.replicas().reports().getFirst().readsTotal(),
                    "the other pod read them on the primary: the standby has not replayed the push");
        }
    }

    @Test
    void aManifestOrBlobTheStandbyLacksIsAskedOfThePrimaryByAPodThatHasNotHeardItsWrite() throws Exception {
        try (SecondPod unaware = SecondPod.unaware(PostgresTestResource.server, "regfleet", ReplicaTestResource.standby,
                Duration.ofMinutes(1))) {
            until(() -> unaware.replicas().reports().getFirst().serving(), "the standby serves the unaware pod");
            StreamingReplica.pauseReplay(ReplicaTestResource.standby);
            RepositoryName name = new RepositoryName(repo());
            String digest = Oci.pushImage(name.value(), "v1");
            String blob = Oci.pushBlob(name.value(), Oci.random(32));
            long before = unaware.replicas().reports().getFirst().readsTotal();

            assertTrue(unaware.store().manifest(name, new Reference.ByDigest(Digest.parse(digest))).isPresent(),
                    "the standby's miss is asked of the primary");
            assertTrue(unaware.store().blobSize(name, Digest.parse(blob)).isPresent());
            assertTrue(unaware.replicas().reports().getFirst().serving(), "still serving: routed there, it missed");
            assertEquals(before, unaware.replicas().reports().getFirst().readsTotal(), "its misses are not its answers");
        }
    }

    /**
     * A pod hears a write's changes and its WAL position in two notices; a cache miss between them reads the standby
     * without knowing the position. Hearing the position makes it forget what it may have remembered meanwhile.
     */
    @Test
    void aDeleteWhosePositionIsHeardLateIsNotRememberedFromTheStandby() throws Exception {
        try (SecondPod other = SecondPod.unawareCached(PostgresTestResource.server, "regfleet", ReplicaTestResource.standby,
                Duration.ofMinutes(1));
             Connection listening = PostgresTestResource.server.superuserConnection("regfleet")) {
            until(() -> other.replicas().reports().getFirst().serving(), "the standby serves the other pod");
            RepositoryName name = new RepositoryName(repo());
            Digest digest = Digest.parse(Oci.pushImage(name.value(), "v1"));
            Reference byDigest = new Reference.ByDigest(digest);
            until(ReadReplicaApiTest::standbyReplayedEverything, "the standby replayed the push");
            StreamingReplica.pauseReplay(ReplicaTestResource.standby);
            try (Statement s = listening.createStatement()) {
                s.execute("LISTEN regfleet_wal");
            }

            given().delete("/v2/{n}/manifests/{d}", name.value(), digest.toString()).then().statusCode(202);
            String notice = walNotice(listening, name);
            assertTrue(other.store().manifest(name, byDigest).isPresent(),
                    "before the position is heard, the standby (which has not replayed the delete) answers");
            other.hear(PostgresTestResource.server, "regfleet", notice);

            assertTrue(other.store().manifest(name, byDigest).isEmpty(),
                    "once the position is heard: forgotten, and asked of the primary");
        }
    }

    private static String walNotice(Connection listening, RepositoryName about) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] notices = listening.unwrap(PGConnection.class).getNotifications(1000);
            for (PGNotification notice : notices == null ? new PGNotification[0] : notices) {
                if (notice.getParameter().contains(" " + about.value() + " ")) {
                    return notice.getParameter();
                }
            }
        }
        throw new AssertionError("no write notice about " + about);
    }

    private static boolean standbyReplayedEverything() {
        try (Connection primary = PostgresTestResource.server.superuserConnection("regfleet");
             Statement written = primary.createStatement();
             ResultSet position = written.executeQuery("SELECT pg_current_wal_insert_lsn()::text");
             Connection standby = ReplicaTestResource.standby.superuserConnection("regfleet");
             PreparedStatement replayed = standby.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            position.next();
            replayed.setString(1, position.getString(1));
            try (ResultSet rs = replayed.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStandbyLaggingBeyondTheBoundIsQuarantinedReadsStillAnswerAndItRejoinsOnceCaughtUp() throws Exception {
        until(() -> report().serving(), "the standby serves");
        StreamingReplica.pauseReplay(ReplicaTestResource.standby);
        String repo = repo();
        String digest = Oci.pushImage(repo, "v1");
        awaitReport(r -> !r.serving() && r.reason().equals(ReplicaReport.LAGGING), "quarantined as lagging");
        assertTrue(report().lagSeconds() > 1, "lags beyond " + ReplicaTestResource.MAX_LAG);
        given().get("/v2/{n}/manifests/{d}", repo, digest).then().statusCode(200);
        given().get("/v2/{n}/tags/list", repo).then().statusCode(200).body("tags", equalTo(List.of("v1")));

        StreamingReplica.resumeReplay(ReplicaTestResource.standby);
        awaitReport(r -> r.serving() && r.reason().equals(ReplicaReport.SERVING), "serving again once caught up");
    }

    @Test
    void aStoppedStandbyIsQuarantinedAsUnreachablePullsAnswerThePodStaysReadyAndItRejoins() throws Exception {
        String repo = repo();
        String digest = Oci.pushImage(repo, "v1");
        until(() -> report().serving(), "the standby serves");
        ReplicaTestResource.standby.stop();
        awaitReport(r -> !r.serving() && r.reason().equals(ReplicaReport.UNREACHABLE), "quarantined as unreachable");
        given().get("/v2/{n}/manifests/{d}", repo, digest).then().statusCode(200);
        given().get("/v2/{n}/manifests/v1", repo).then().statusCode(200);
        given().get("/v2/{n}/tags/list", repo).then().statusCode(200);
        assertEquals(200, get(management() + PodContract.READINESS_PATH, null).statusCode(), "a replica never makes the pod unready");

        ReplicaTestResource.standby.start();
        awaitReport(r -> r.serving() && r.reason().equals(ReplicaReport.SERVING), "serving again once started");
    }

    /**
     * The replica's own pool through the agent ({@code ?replica=}): its usage, and allocations under its own
     * generations that move its maximum live within the ceiling, the primary's pool and workers untouched; a shrink
     * under reads is followed by the standby's pg_stat_activity.
     */
    @Test
    void theReplicasPoolFollowsItsOwnAllocationsLive() throws Exception {
        until(() -> report().serving(), "the standby serves");
        String repo = repo();
        String digest = Oci.pushImage(repo, "v1");
        answeredByTheReplica("a manifest by digest", () -> given().get("/v2/{n}/manifests/{d}", repo, digest).then().statusCode(200));
        String scope = "?" + FleetApi.REPLICA + "=127.0.0.1:" + ReplicaTestResource.standby.port();
        PodUsage primary = usage("");
        PodUsage before = usage(scope);
        assertEquals(3, before.appliedPoolMax(), "starts at regfleet.pool.replica-max-size");
        assertEquals(primary.workers(), before.workers(), "the pod's workers");
        long generation = before.generation() + 10;
        try {
            AllocationStatus clamped = allocate(scope, generation, 100, 1);
            assertEquals(List.of(6, primary.workers(), false), List.of(clamped.poolMax(), clamped.workers(), clamped.stale()),
                    "clamped to regfleet.pool.replica-ceiling; workers are the pod's, not the allocation's");
            AllocationStatus stale = allocate(scope, generation - 1, 2, 1);
            assertEquals(List.of(6, true), List.of(stale.poolMax(), stale.stale()));
            PodUsage primaryAfter = usage("");
            assertEquals(List.of(primary.generation(), primary.appliedPoolMax(), primary.workers()),
                    List.of(primaryAfter.generation(), primaryAfter.appliedPoolMax(), primaryAfter.workers()),
                    "the primary's allocation is its own");

            int peak = readsWhile(repo, digest, Duration.ofSeconds(1), () -> {
            });
            assertTrue(peak <= 6, "at most the allocated 6 on the standby: " + peak);
            assertTrue(usage(scope).activePeak() >= 1, "its use is measured");

            AllocationStatus shrunk = allocate(scope, generation + 1, 1, 1);
            assertEquals(1, shrunk.poolMax());
            int[] afterShrink = {0};
            readsWhile(repo, digest, Duration.ofSeconds(1), () -> until(() -> usage(scope).open() <= 1,
                    "the shrink reported done under reads"));
            readsWhile(repo, digest, Duration.ofSeconds(1), () -> afterShrink[0] = Math.max(afterShrink[0], standbySessions()));
            assertTrue(afterShrink[0] <= 1, "at most 1 on the standby after the shrink: " + afterShrink[0]);

            assertEquals(404, send("GET", FleetApi.USAGE + "?" + FleetApi.REPLICA + "=127.0.0.1:1", null).statusCode());
            HttpResponse<String> unknown = send("PUT", FleetApi.ALLOCATION + "?" + FleetApi.REPLICA + "=10.9.9.9:5432",
                    "{\"generation\":1,\"poolMax\":1,\"workers\":1}");
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().contains("\"error\""), unknown.body());
            assertEquals(400, send("GET", FleetApi.USAGE + "?" + FleetApi.REPLICA + "=no-port", null).statusCode());
            assertEquals(400, send("GET", FleetApi.USAGE + "?" + FleetApi.REPLICA + "=", null).statusCode());
        } finally {
            allocate(scope, generation + 2, 3, 1); // as the other tests expect it
        }
    }

    /** GETs of a manifest by digest from 8 clients while {@code during} runs (at least {@code least}); the standby's peak sessions. */
    private int readsWhile(String repo, String digest, Duration least, Runnable during) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (reading.get()) {
                    given().get("/v2/{n}/manifests/{d}", repo, digest).then().statusCode(200);
                }
            }));
        }
        int peak = 0;
        long end = System.nanoTime() + least.toNanos();
        try {
            during.run();
            while (System.nanoTime() < end) {
                peak = Math.max(peak, standbySessions());
                Thread.sleep(50);
            }
        } finally {
            reading.set(false);
            for (Thread t : clients) {
                t.join();
            }
        }
        return peak;
    }

    /** This pod's sessions on the standby (its replica pool's). */
    private static int standbySessions() {
        try (var c = ReplicaTestResource.standby.superuserConnection("postgres");
             var s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, PostgresTestResource.APPLICATION_NAME);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PodUsage usage(String scope) {
        try {
            HttpResponse<String> r = send("GET", FleetApi.USAGE + scope, null);
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readValue(r.body(), PodUsage.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AllocationStatus allocate(String scope, long generation, int poolMax, int workers) throws Exception {
        HttpResponse<String> r = send("PUT", FleetApi.ALLOCATION + scope,
                "{\"generation\":" + generation + ",\"poolMax\":" + poolMax + ",\"workers\":" + workers + "}");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readValue(r.body(), AllocationStatus.class);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(management() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + PostgresTestResource.AGENT_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Repeats the read (each answer checked) until the replica has answered one: it may first have to replay the write. */
    private void answeredByTheReplica(String what, Runnable read) {
        until(() -> {
            long before = report().readsTotal();
            read.run();
            return report().readsTotal() > before;
        }, what + " answered by the replica");
    }

    private void awaitReport(Predicate<ReplicaReport> condition, String what) {
        until(() -> condition.test(report()), what + " (/fleet/replicas)");
    }

    private ReplicaReport report() {
        try {
            HttpResponse<String> response = get(management() + FleetApi.REPLICAS, "Bearer " + PostgresTestResource.AGENT_TOKEN);
            assertEquals(200, response.statusCode(), response.body());
            List<ReplicaReport> reports = JSON.readValue(response.body(), new TypeReference<>() {
            });
            assertEquals(1, reports.size(), response.body());
            assertEquals("127.0.0.1:" + ReplicaTestResource.standby.port(), reports.getFirst().replica());
            assertEquals(3, reports.getFirst().poolMax());
            return reports.getFirst();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String management() {
        return "http://localhost:" + ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }
}
