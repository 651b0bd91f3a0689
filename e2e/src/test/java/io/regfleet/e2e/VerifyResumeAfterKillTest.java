package io.regfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.RegistryProcess;
import io.regfleet.dev.oci.RegistryPusher;
import io.regfleet.dev.oci.SampleImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code regfleet.mode=verify} as the operator's Job runs it: a verify process killed (SIGKILL) midway leaves its
 * progress in the database; the next one continues the same run, takes over the dead one's ranges once their leases
 * lapse, and reports the whole store with the first process's share counted once.
 */
class VerifyResumeAfterKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aKilledVerifyIsContinuedByTheNext(@TempDir Path blobs) throws Exception {
        try (EmbeddedPostgresServer postgres = Fleets.database()) {
            SampleImages.Pushed pushed;
            try (RegistryProcess registry = Fleets.replica(postgres, blobs, "verify", "serve", Map.of()).start()) {
                registry.awaitReady(Duration.ofSeconds(60));
                pushed = SampleImages.push(new RegistryPusher(registry.url()),
                        new SampleImages.Options("e2e", 4, 15, 64 * 1024, 16 * 1024, 3), 2);
            }

            RegistryProcess first = verify(postgres, blobs, "verify-1", Map.of("regfleet.verify.max-rate", "100",
                    "regfleet.verify.parallelism", "1")).start();
            awaitRangesDone(postgres, 30);
            first.kill();
            assertFalse(first.isAlive());
            assertEquals(0, count(postgres, "SELECT count(*) FROM verify_run WHERE finished_at IS NOT NULL"),
                    "killed before the end");

            RegistryProcess second = verify(postgres, blobs, "verify-2", Map.of()).start();
            assertEquals(0, second.awaitExit(Duration.ofMinutes(3)), second.logTail());

            JsonNode report = summary(second.log()).path("verify");
            assertTrue(report.path("resumed").asBoolean(), report.toString());
            assertEquals(1, report.path("run").asLong());
            assertTrue(report.path("complete").asBoolean());
            assertEquals(0, report.path("failureCount").asLong());
            assertEquals(pushed.manifests().size(), report.path("manifests").asLong());
            assertEquals(pushed.blobs().size(), report.path("blobs").asLong());
            long total = report.path("manifests").asLong() + report.path("blobs").asLong();
            long mine = report.path("thisProcess").path("manifests").asLong()
                    + report.path("thisProcess").path("blobs").asLong();
            assertTrue(mine < total, "the killed process's pages were not checked again: " + mine + " of " + total);
            System.out.printf("FIGURE verify-resume: killed after %d of %d items; the next verify checked the other %d "
                    + "and finished the run%n", total - mine, total, mine);
        }
    }

    /** A verify process (short leases, small pages, so that a kill leaves work behind and its ranges lapse soon). */
    private static RegistryProcess verify(EmbeddedPostgresServer postgres, Path blobs, String pod,
                                          Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("regfleet.mode", "verify", "regfleet.verify.lease", "3S",
                "regfleet.verify.page-size", "10"));
        all.putAll(settings);
        return Fleets.replica(postgres, blobs, "verify", pod, all);
    }

    /** The verify's summary: the one line of its output that starts {@code {"verify":}. */
    private static JsonNode summary(Path log) throws Exception {
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{\"verify\":")) {
                return JSON.readTree(line);
            }
        }
        throw new AssertionError("no summary line in " + log);
    }

    private static void awaitRangesDone(EmbeddedPostgresServer postgres, int ranges) throws Exception {
        for (int i = 0; i < 1200; i++) {
            if (count(postgres, "SELECT count(*) FROM verify_range WHERE done") >= ranges) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the first verify made no progress");
    }

    private static long count(EmbeddedPostgresServer postgres, String sql) throws Exception {
        try (Connection c = postgres.superuserConnection("regfleet"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (java.sql.SQLException e) {
            return 0; // the verify has not created its tables yet
        }
    }
}
