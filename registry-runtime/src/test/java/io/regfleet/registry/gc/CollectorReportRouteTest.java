package io.regfleet.registry.gc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regfleet.fleet.CollectorReport;
import io.regfleet.fleet.FleetApi;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.metadata.QueueSizes;
import io.regfleet.registry.metadata.ReviewQueue;
import io.regfleet.registry.metadata.Reviewed;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The pod agent's {@code GET /fleet/collector} on the management port (PodAgentTest's setup, so one application serves
 * both): behind the agent's token, and the collector's own report, figure for figure. The collector's thread is
 * stopped meanwhile, so the figures moved here are the only ones that move.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class CollectorReportRouteTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theAgentServesTheCollectorsReportBehindItsToken() throws Exception {
        assertEquals(401, get(null).statusCode());
        assertEquals(401, get("Bearer wrong").statusCode());

        CollectorLoop loop = Arc.container().instance(CollectorLoop.class).get();
        GcMetrics metrics = Arc.container().instance(GcMetrics.class).get();
        loop.stop();
        try {
            CollectorReport before = served();
            assertEquals(metrics.report(), before, "the agent serves the collector's own report");

            metrics.reviewed(ReviewQueue.BLOB, new Reviewed(3, 1, 0, 2, List.of()));
            metrics.reviewed(ReviewQueue.MANIFEST, new Reviewed(1, 0, 4, 0, List.of()));
            metrics.bytesDeleted(4096);
            metrics.orphansDeleted(1);
            metrics.error(GcMetrics.Stage.SWEEP);
            metrics.queueSizes(new QueueSizes(7, 5, 1));
            metrics.roundFinished(1_780_000_000_500L);

            CollectorReport after = served();
            assertEquals(1_780_000_000.5, after.lastRoundEpochSeconds());
            assertEquals(3, after.blobsCollected() - before.blobsCollected());
            assertEquals(4096, after.bytesCollected() - before.bytesCollected());
            assertEquals(1, after.manifestsCollected() - before.manifestsCollected());
            assertEquals(2, after.linksRemoved() - before.linksRemoved());
            assertEquals(1, after.orphansRemoved() - before.orphansRemoved());
            assertEquals(1, after.errors() - before.errors());
            assertEquals(new CollectorReport(after.lastRoundEpochSeconds(), after.blobsCollected(), after.bytesCollected(),
                    after.manifestsCollected(), after.linksRemoved(), after.orphansRemoved(), after.errors(), 7, 5, 1), after);
        } finally {
            loop.start();
        }
    }

    private static CollectorReport served() throws Exception {
        HttpResponse<String> r = get("Bearer " + PostgresTestResource.AGENT_TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(r.body().isBlank());
        return JSON.readValue(r.body(), CollectorReport.class);
    }

    private static HttpResponse<String> get(String authorization) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + FleetApi.COLLECTOR)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
