package io.regfleet.registry.gc;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.blob.StoredBlob;
import io.regfleet.registry.http.ApiServer;
import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.metadata.QueueSizes;
import io.regfleet.registry.oci.Digest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The race: clients push images that share layers (each blob looked for, mounted or uploaded, as Docker
 * does) while other clients delete tags and manifests and the collector runs on its own thread with no review delay,
 * for a bounded time. Afterwards every tagged image pulls byte-identical, every deleted one is gone, and the blob
 * store and the metadata hold exactly the blobs the tagged images reference: nothing referenced is missing, nothing
 * unreferenced is left. A subclass chooses the blob store.
 *
 * <p>Half of the shared layers are held by a base image in each repository, pushed before the collector starts and
 * never deleted (as base images are); the other half come and go with the images that use them. Without a review delay a push whose blobs nothing references
 * yet can lose them to the collector before its manifest arrives, again and again: such a push is given up after a
 * few refusals (nothing is tagged then, and what it uploaded must be collected like any other garbage).
 */
abstract class GcRaceScenario {
    private static final Duration RACE = Duration.ofSeconds(20);
    private static final Duration DELETION_TIMEOUT = Duration.ofSeconds(4);
    private static final int PUSHERS = 4;
    private static final int DELETERS = 2;
    private static final List<String> REPOSITORIES = List.of("race/a", "race/b", "race/c");
    /** Shared layers a base image holds in every repository; the others come and go. */
    private static final int HELD = 5;

    /**
     * The collector on its own thread (started by the test once the base images are in), no review delay, untagged
     * manifests collected at once.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("regfleet.gc.enabled", "false", "regfleet.gc.review-delay", "0S",
                    "regfleet.gc.untagged-manifests", "0S", "regfleet.gc.interval", "50MS",
                    "regfleet.gc.yield-pause", "100MS", "regfleet.gc.batch-size", "16",
                    // a byte deletion the store refused (S3 under load) is retried after this: the settle waits for it
                    "regfleet.gc.deletion-timeout", DELETION_TIMEOUT.toSeconds() + "S");
        }
    }

    @Test
    void pushesDeletesAndTheCollectorTogetherLoseNothingAndLeaveNothing() throws Exception {
        RaceClient client = new RaceClient("http://127.0.0.1:" + Arc.container().instance(ApiServer.class).get().port());
        GcMetrics metrics = Arc.container().instance(GcMetrics.class).get();
        List<byte[]> sharedLayers = new ArrayList<>();
        Random random = new Random(13);
        for (int i = 0; i < 10; i++) {
            byte[] layer = new byte[16 * 1024 + random.nextInt(200 * 1024)];
            random.nextBytes(layer);
            sharedLayers.add(layer);
        }
        List<RaceClient.Image> bases = new ArrayList<>();
        for (String repository : REPOSITORIES) {
            RaceClient.Image base = image(repository, "base", sharedLayers.subList(0, HELD), List.of());
            assertTrue(client.push(base, REPOSITORIES) >= 0);
            bases.add(base);
        }
        Map<String, RaceClient.Image> live = new ConcurrentHashMap<>();
        Set<RaceClient.Image> deleted = ConcurrentHashMap.newKeySet();
        AtomicInteger pushes = new AtomicInteger();
        AtomicInteger abandoned = new AtomicInteger();
        AtomicInteger refusedPuts = new AtomicInteger();
        double collectedBefore = metrics.report().blobsCollected();
        CollectorLoop loop = Arc.container().instance(CollectorLoop.class).get();
        loop.start();
        long deadline = System.nanoTime() + RACE.toNanos();

        try (ExecutorService clients = Executors.newFixedThreadPool(PUSHERS + DELETERS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < PUSHERS; p++) {
                int pusher = p;
                running.add(clients.submit(() -> {
                    for (int n = 0; System.nanoTime() < deadline; n++) {
                        String repository = REPOSITORIES.get(ThreadLocalRandom.current().nextInt(REPOSITORIES.size()));
                        RaceClient.Image image = image(repository,
                                "p" + pusher + "-" + n, sharedLayers.subList(0, HELD),
                                sharedLayers.subList(HELD, sharedLayers.size()));
                        int refused = client.push(image, REPOSITORIES);
                        if (refused < 0) {
                            abandoned.incrementAndGet();
                            continue;
                        }
                        refusedPuts.addAndGet(refused);
                        live.put(image.repository() + ":" + image.tag(), image);
                        pushes.incrementAndGet();
                    }
                }));
            }
            for (int d = 0; d < DELETERS; d++) {
                running.add(clients.submit(() -> deleteUntil(deadline, client, live, deleted)));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double collectedDuringRace = metrics.report().blobsCollected() - collectedBefore;
        loop.stop();

        settle();

        System.out.printf("FIGURE gc-race %s: %d images pushed (%d manifest puts refused for a blob collected meanwhile,"
                        + " %d pushes given up), %d deleted, %.0f blobs collected during the race, %d tagged images left%n",
                getClass().getSimpleName(), pushes.get(), refusedPuts.get(), abandoned.get(), deleted.size(),
                collectedDuringRace, live.size());
        assertTrue(collectedDuringRace > 0, "the collector collected while clients pushed and deleted");
        assertTrue(deleted.size() > 0 && live.size() > 0);
        Set<Digest> referenced = new HashSet<>();
        List<RaceClient.Image> tagged = new ArrayList<>(live.values());
        tagged.addAll(bases);
        for (RaceClient.Image image : tagged) {
            assertPullsByteIdentical(client, image);
            referenced.addAll(image.blobs().keySet());
        }
        for (RaceClient.Image image : deleted) {
            assertEquals(404, client.get("/v2/" + image.repository() + "/manifests/" + image.tag()).statusCode());
        }
        Set<Digest> stored = storedBlobs();
        assertEquals(referenced, stored, () -> "the blob store holds exactly the blobs tagged images reference; "
                + explain(stored, referenced));
        assertEquals(referenced, recordedBlobs(), "the metadata records exactly those blobs");
        assertEquals(new QueueSizes(0, 0, 0), Arc.container().instance(GarbageCollection.class).get().queueSizes(),
                "every candidate reviewed, no deletion left half done");
    }

    /**
     * Lets the collector finish once the clients are gone: rounds until nothing is due, then, while candidates
     * postponed during the race (a push held them) or byte deletions the store refused wait for their retry time,
     * that long and again; then a sweep.
     */
    private static void settle() throws Exception {
        Collector collector = Arc.container().instance(Collector.class).get();
        for (int round = 0; round < 20; round++) {
            collector.drain();
            double wait = secondsUntilTheLastPostponement();
            if (wait <= 0) {
                break;
            }
            Thread.sleep((long) (Math.min(wait, 30) * 1000) + 100);
        }
        Arc.container().instance(StoreSweep.class).get().sweepAll();
        collector.drain();
    }

    private static double secondsUntilTheLastPostponement() throws Exception {
        try (Connection c = PostgresTestResource.server.superuserConnection("regfleet");
             PreparedStatement s = c.prepareStatement("""
                     SELECT coalesce(extract(epoch FROM greatest((SELECT max(retry_at) FROM gc_blob_review),
                                                                 (SELECT max(retry_at) FROM gc_manifest_review),
                                                                 (SELECT max(created_at) FROM blob_deletion)
                                                                     + make_interval(secs => ?)) - now()), 0)""")) {
            s.setDouble(1, DELETION_TIMEOUT.toSeconds());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    /** What the metadata says of the blobs stored but not referenced, or referenced but not stored. */
    private static String explain(Set<Digest> stored, Set<Digest> referenced) {
        Set<Digest> odd = new HashSet<>(stored);
        odd.removeAll(referenced);
        Set<Digest> missing = new HashSet<>(referenced);
        missing.removeAll(stored);
        odd.addAll(missing);
        StringBuilder why = new StringBuilder();
        try (Connection c = PostgresTestResource.server.superuserConnection("regfleet"); Statement s = c.createStatement()) {
            for (Digest digest : odd) {
                why.append("\n").append(digest).append(stored.contains(digest) ? " stored" : " missing");
                for (String table : new String[] {"blob", "gc_blob_review", "blob_deletion", "repository_blob"}) {
                    try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE digest = '" + digest + "'")) {
                        while (rs.next()) {
                            why.append("\n  ").append(table).append(':');
                            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                                why.append(' ').append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i));
                            }
                        }
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT id, updated_at FROM upload WHERE committing_digest = '" + digest + "'")) {
                    while (rs.next()) {
                        why.append("\n  committing upload ").append(rs.getString(1)).append(" at ").append(rs.getString(2));
                    }
                }
            }
        } catch (Exception e) {
            why.append(" (").append(e).append(')');
        }
        return why.toString();
    }

    /** Deletes random live images, by tag three times in four, else by digest, until the deadline. */
    private static void deleteUntil(long deadline, RaceClient client, Map<String, RaceClient.Image> live,
                                    Set<RaceClient.Image> deleted) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < deadline) {
            List<String> keys = new ArrayList<>(live.keySet());
            RaceClient.Image image = keys.size() < 4 ? null : live.get(keys.get(random.nextInt(keys.size())));
            if (image == null) {
                pause();
                continue;
            }
            String reference = random.nextInt(4) == 0 ? image.digest().toString() : image.tag();
            if (live.remove(image.repository() + ":" + image.tag(), image)) {
                if (client.delete(image.repository(), reference)) {
                    deleted.add(image);
                } else {
                    live.put(image.repository() + ":" + image.tag(), image); // refused (503): still there
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An image of a unique config, a layer a base image holds, one that comes and goes (if any are given) and, one
     * time in three, a layer of its own; the base image itself holds every held layer.
     */
    private static RaceClient.Image image(String repository, String tag, List<byte[]> held, List<byte[]> comingAndGoing) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        blobs.put(Digest.sha256Of(config), config);
        List<byte[]> chosen = comingAndGoing.isEmpty() ? held : List.of(held.get(random.nextInt(held.size())),
                comingAndGoing.get(random.nextInt(comingAndGoing.size())));
        chosen.forEach(layer -> blobs.put(Digest.sha256Of(layer), layer));
        if (!comingAndGoing.isEmpty() && random.nextInt(3) == 0) {
            byte[] own = new byte[1024 + random.nextInt(8192)];
            random.nextBytes(own);
            blobs.put(Digest.sha256Of(own), own);
        }
        StringBuilder layers = new StringBuilder();
        blobs.entrySet().stream().skip(1).forEach(e -> layers.append(layers.isEmpty() ? "" : ",")
                .append(descriptor("application/vnd.oci.image.layer.v1.tar", e.getKey(), e.getValue().length)));
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + RaceClient.MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", Digest.sha256Of(config), config.length)
                + ",\"layers\":[" + layers + "]}").getBytes(StandardCharsets.UTF_8);
        return new RaceClient.Image(repository, tag, manifest, blobs);
    }

    private static String descriptor(String mediaType, Digest digest, int size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static void assertPullsByteIdentical(RaceClient client, RaceClient.Image image) {
        HttpResponse<byte[]> manifest = client.get("/v2/" + image.repository() + "/manifests/" + image.tag());
        assertEquals(200, manifest.statusCode(), image.repository() + ":" + image.tag());
        assertArrayEquals(image.manifest(), manifest.body());
        image.blobs().forEach((digest, bytes) -> {
            HttpResponse<byte[]> blob = client.get("/v2/" + image.repository() + "/blobs/" + digest);
            assertEquals(200, blob.statusCode(), digest + " of " + image.repository() + ":" + image.tag());
            assertArrayEquals(bytes, blob.body());
        });
    }

    private static Set<Digest> storedBlobs() {
        BlobStore store = Arc.container().instance(BlobStore.class).get();
        Set<Digest> stored = new HashSet<>();
        Digest after = null;
        List<StoredBlob> page;
        do {
            page = store.list(after, 500);
            page.forEach(b -> stored.add(b.digest()));
            after = page.isEmpty() ? null : page.getLast().digest();
        } while (page.size() == 500);
        return stored;
    }

    private static Set<Digest> recordedBlobs() throws Exception {
        return digests("SELECT digest FROM blob");
    }

    private static Set<Digest> digests(String query) throws Exception {
        Set<Digest> digests = new HashSet<>();
        try (Connection c = PostgresTestResource.server.superuserConnection("regfleet");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                digests.add(Digest.parse(rs.getString(1)));
            }
        }
        return digests;
    }
}
