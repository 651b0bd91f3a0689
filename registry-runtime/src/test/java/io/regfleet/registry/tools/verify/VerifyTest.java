package io.regfleet.registry.tools.verify;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.dev.oci.RegistryPusher;
import io.regfleet.dev.oci.SampleImages;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.http.ApiServer;
import io.regfleet.registry.metadata.Inventory;
import io.regfleet.registry.metadata.VerifyLedger;
import io.regfleet.registry.service.IntegrityGuard;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verify over a registry filled through its own API (a few hundred images of every kind), on its PostgreSQL and
 * filesystem store: a clean store reports nothing; a truncated manifest row and blob files changed, cut short or gone
 * are each reported by digest; a verify stopped midway is continued where it was by the next.
 */
@QuarkusTest
@TestProfile(VerifyTest.OwnStore.class)
@QuarkusTestResource(PostgresTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyTest {
    private static SampleImages.Pushed pushed;
    private static Corruption corruption;

    @Inject
    Inventory inventory;
    @Inject
    VerifyLedger ledger;
    @Inject
    BlobStore blobStore;
    @Inject
    MeterRegistry meters;
    @Inject
    ApiServer api;

    /** A database and blob folder of its own: the other tests' corruptions are not this test's. */
    public static class OwnStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("regfleet.verify.page-size", "50");
        }
    }

    /** What {@link #findsATruncatedManifestAndChangedBlobsByDigest} broke. */
    private record Corruption(String repository, String manifest, String flipped, String truncated, String deleted) {
    }

    @BeforeEach
    void fill() {
        if (pushed == null) {
            pushed = SampleImages.push(new RegistryPusher("http://127.0.0.1:" + api.port()),
                    new SampleImages.Options("verify", 6, 20, 256 * 1024, 64 * 1024, 7), 3);
        }
    }

    @Test
    @Order(1)
    void aCleanStoreReportsNoFailureAndCountsEveryManifestAndBlob() {
        for (boolean deep : new boolean[]{false, true}) {
            VerifyReport report = verifier(deep, true, 3, 0).run();

            assertTrue(report.complete());
            assertEquals(0, report.failureCount(), report.jsonLine());
            assertEquals(0, report.exitCode());
            assertEquals(count("SELECT count(*) FROM manifest"), report.manifests());
            assertEquals(pushed.manifests().size(), report.manifests());
            assertEquals(pushed.blobs().size(), report.blobs());
            assertEquals(pushed.blobBytes(), report.blobBytes());
            assertEquals(deep ? pushed.blobBytes() : 0, report.thisProcess().bytesHashed());
            figure(deep, report);
        }
    }

    @Test
    @Order(2)
    void findsATruncatedManifestAndChangedBlobsByDigest() throws IOException {
        corruption = corrupt();

        VerifyReport shallow = verifier(false, true, 3, 0).run();
        assertEquals(Set.of("manifest-mismatch " + corruption.manifest() + " " + corruption.repository(),
                "blob-size " + corruption.truncated() + " ", "blob-missing " + corruption.deleted() + " "),
                found(shallow), "without deep, a changed byte is not looked for");
        assertEquals(1, shallow.exitCode());

        VerifyReport deep = verifier(true, true, 3, 0).run();
        assertEquals(Set.of("manifest-mismatch " + corruption.manifest() + " " + corruption.repository(),
                "blob-size " + corruption.truncated() + " ", "blob-missing " + corruption.deleted() + " ",
                "blob-digest " + corruption.flipped() + " "), found(deep));
        assertEquals(Map.of("blob-digest", 1L, "blob-missing", 1L, "blob-size", 1L, "manifest-mismatch", 1L),
                deep.failuresByKind());
        assertTrue(deep.jsonLine().startsWith("{\"verify\":{\"run\":" + deep.run() + ","), deep.jsonLine());
        assertTrue(deep.jsonLine().contains("\"digest\":\"" + corruption.flipped() + "\""));
    }

    @Test
    @Order(3)
    void aVerifyStoppedMidwayIsContinuedWhereItStoppedByTheNext() throws Exception {
        Verifier first = verifier(false, false, 1, 150);
        CompletableFuture<VerifyReport> stopped = CompletableFuture.supplyAsync(first::run);
        awaitRangesDone(40);
        first.stop();
        VerifyReport partial = stopped.get();
        assertFalse(partial.complete());
        assertEquals(3, partial.exitCode());

        VerifyReport continued = verifier(false, false, 3, 0).run();

        assertTrue(continued.resumed());
        assertEquals(partial.run(), continued.run());
        assertTrue(continued.complete());
        assertEquals(pushed.manifests().size(), continued.manifests());
        assertEquals(pushed.blobs().size(), continued.blobs());
        assertEquals(continued.manifests() + continued.blobs(), partial.thisProcess().manifests()
                + partial.thisProcess().blobs() + continued.thisProcess().manifests() + continued.thisProcess().blobs(),
                "every item checked once over the two processes");
        assertTrue(partial.thisProcess().manifests() + partial.thisProcess().blobs() > 0);
        assertEquals(Set.of("manifest-mismatch " + corruption.manifest() + " " + corruption.repository(),
                "blob-size " + corruption.truncated() + " ", "blob-missing " + corruption.deleted() + " "),
                found(continued), "failures found before the stop are kept");
    }

    private Verifier verifier(boolean deep, boolean fresh, int parallelism, double maxRate) {
        return new Verifier(inventory, ledger, blobStore, new IntegrityGuard(meters), new Verifier.Options(deep, fresh,
                parallelism, 50, 1 << 20, Duration.ofSeconds(30), maxRate, 100, "test/" + UUID.randomUUID()));
    }

    /** Truncates one manifest row (as a migration that cut bytea values did) and breaks three blob files. */
    private Corruption corrupt() throws IOException {
        List<String> manifests = pushed.manifests().stream().sorted().toList();
        String target = manifests.get(manifests.size() / 2);
        String repository = target.substring(0, target.indexOf('@'));
        String manifest = target.substring(target.indexOf('@') + 1);
        execute("UPDATE manifest SET content = substring(content FROM 1 FOR CAST(size AS int) - 7), size = size - 7 "
                + "WHERE digest = '" + manifest + "' AND repository_id = (SELECT id FROM repository WHERE name = '"
                + repository + "')");
        List<String> blobs = pushed.blobs().entrySet().stream().filter(e -> e.getValue() > 100)
                .map(Map.Entry::getKey).sorted().toList();
        String flipped = blobs.get(0);
        String truncated = blobs.get(1);
        String deleted = blobs.get(2);
        Path flippedFile = blobFile(flipped);
        byte[] bytes = Files.readAllBytes(flippedFile);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(flippedFile, bytes);
        Path truncatedFile = blobFile(truncated);
        byte[] whole = Files.readAllBytes(truncatedFile);
        Files.write(truncatedFile, java.util.Arrays.copyOf(whole, whole.length - 1));
        Files.delete(blobFile(deleted));
        return new Corruption(repository, manifest, flipped, truncated, deleted);
    }

    private static Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return Path.of(ConfigProvider.getConfig().getValue("regfleet.storage.filesystem.root", String.class),
                "blobs", "sha256", hex.substring(0, 2), hex);
    }

    private static Set<String> found(VerifyReport report) {
        return report.failures().stream().map(f -> f.kind() + " " + f.digest() + " " + f.repository())
                .collect(Collectors.toSet());
    }

    private static void awaitRangesDone(int ranges) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (count("SELECT count(*) FROM verify_range r JOIN verify_run v ON v.id = r.run_id "
                    + "WHERE v.finished_at IS NULL AND r.done") >= ranges) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the first verify made no progress");
    }

    private static void figure(boolean deep, VerifyReport report) {
        VerifyReport.ThisProcess p = report.thisProcess();
        System.out.printf("FIGURE verify %s: %d manifests, %d blobs (%.1f MiB) in %.2f s: %.0f manifests/s, "
                        + "%.0f blobs/s, %.1f MiB/s hashed%n", deep ? "deep" : "shallow", report.manifests(),
                report.blobs(), report.blobBytes() / 1048576.0, p.seconds(), (report.manifests()) / p.seconds(),
                report.blobs() / p.seconds(), p.mibHashedPerSecond());
    }

    private static long count(String sql) {
        try (Connection c = PostgresTestResource.server.superuserConnection("regfleet");
             PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String sql) {
        PostgresTestResource.server.execute("regfleet", sql);
    }
}
