package io.regfleet.e2e;

import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.RegistryProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL stops under load: requests fail fast with 503 + Retry-After (no pile-up of threads), liveness stays up;
 * PostgreSQL comes back: the registry recovers by itself, reconnecting no faster than its rate limit.
 */
class DatabaseOutageTest {
    private static final double RATE = 2;
    private static final int BURST = 1;

    @Test
    void failsFastThenRecoversAtTheConnectionRate(@TempDir Path blobs) throws Exception {
        try (EmbeddedPostgresServer postgres = Fleets.database()) {
            RegistryProcess registry = Fleets.replica(postgres, blobs, "outage", "r0", Map.of(
                    "regfleet.pool.max-size", "8",
                    "regfleet.pool.connect-rate", String.valueOf(RATE),
                    "regfleet.pool.connect-burst", String.valueOf(BURST),
                    "regfleet.pool.backoff-max", "2S",
                    "regfleet.workers.limit", "16")).start().awaitReady(Duration.ofSeconds(60));
            try (ConnectionSampler sampler = new ConnectionSampler(postgres)) {
                String manifest = Fleets.pushImage(registry.url());
                int threadsBefore;
                long outageStart;
                LoadGenerator during;
                try (LoadGenerator load = new LoadGenerator(12, () -> registry.url() + manifest)) {
                    Thread.sleep(2_000);
                    threadsBefore = liveThreads(registry);
                    postgres.stop();
                    outageStart = System.nanoTime();
                    Thread.sleep(5_000);
                    assertEquals(200, Http.send("GET", registry.managementUrl() + "/q/health/live", null).statusCode(),
                            "liveness does not depend on the database");
                    assertEquals(503, Http.send("GET", registry.managementUrl() + "/q/health/ready", null).statusCode(),
                            "readiness tells the truth");
                    int threadsDuring = liveThreads(registry);
                    Map<Integer, Long> duringOutage = load.statuses();
                    long slowest503 = load.slowest503Millis();
                    postgres.start();
                    long restarted = System.nanoTime();
                    long recoveredAfter = awaitStatus(registry.url() + manifest, 200, Duration.ofSeconds(30));
                    Thread.sleep(6_000);
                    List<ConnectionSampler.Sample> ramp = sampler.since(restarted);
                    int fastestRise = fastestRiseWithinOneSecond(ramp);
                    CornerCase.assertNoneOther(load.statuses());
                    ConnectionStormTest.report("outage: during it " + duringOutage + ", slowest 503 " + slowest503
                            + " ms; live threads " + threadsBefore + " before, " + threadsDuring + " during; recovered "
                            + recoveredAfter + " ms after PostgreSQL restarted; fastest rise of connections in any 1 s: "
                            + fastestRise + " (rate " + RATE + "/s, burst " + BURST + "); all statuses " + load.statuses());
                    assertTrue(duringOutage.getOrDefault(503, 0L) > 0, "requests were answered 503: " + duringOutage);
                    assertEquals(0, load.missingRetryAfter(), "every 503 carries Retry-After");
                    assertTrue(slowest503 < 5_000, "503s came fast, not after a pile-up: " + slowest503 + " ms");
                    assertTrue(threadsDuring < threadsBefore + 40, "no thread pile-up: " + threadsBefore + " -> " + threadsDuring);
                    assertTrue(recoveredAfter >= 0, "the registry recovered by itself");
                    assertTrue(fastestRise <= RATE + BURST + 1, "reconnection ramp respects the rate: " + fastestRise);
                }
            } finally {
                registry.kill();
            }
        }
    }

    /** Largest increase of the fleet's connections between two samples at most one second apart. */
    static int fastestRiseWithinOneSecond(List<ConnectionSampler.Sample> samples) {
        int best = 0;
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < samples.size() && samples.get(j).nanos() - samples.get(i).nanos() <= 1_000_000_000L; j++) {
                best = Math.max(best, samples.get(j).fleet() - samples.get(i).fleet());
            }
        }
        return best;
    }

    private static long awaitStatus(String url, int status, Duration within) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < within.toNanos()) {
            try {
                if (Http.send("GET", url, null, "Accept", "application/vnd.oci.image.manifest.v1+json").statusCode() == status) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (RuntimeException retry) {
                // not yet
            }
            Thread.sleep(50);
        }
        return -1;
    }

    private static int liveThreads(RegistryProcess registry) {
        HttpResponse<byte[]> metrics = Http.send("GET", registry.managementUrl() + "/q/metrics", null);
        return new String(metrics.body()).lines().filter(l -> l.startsWith("jvm_threads_live_threads"))
                .map(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    /** During an outage the only acceptable answers are 200 (before and after) and 503 (during). */
    static final class CornerCase {
        static void assertNoneOther(Map<Integer, Long> statuses) {
            assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 503), "only 200 and 503: " + statuses);
        }
    }
}
