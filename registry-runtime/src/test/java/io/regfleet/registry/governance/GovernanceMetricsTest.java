package io.regfleet.registry.governance;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.regfleet.registry.PostgresTestResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The governance meters as Prometheus scrapes them: totals of events are counters ({@code _total}), levels gauges. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class GovernanceMetricsTest {
    private static final List<String> COUNTERS = List.of("regfleet_workers_shed", "regfleet_db_connections_opened",
            "regfleet_db_connections_failed", "regfleet_db_connections_refused", "regfleet_db_acquire_timeouts");
    private static final List<String> GAUGES = List.of("regfleet_pool_max", "regfleet_pool_open", "regfleet_pool_active",
            "regfleet_allocation_generation", "regfleet_workers_limit", "regfleet_workers_in_flight");

    @Inject
    ConnectionLeases leases;

    @Test
    void countersEndInTotalAndGaugesStayGauges() throws Exception {
        leases.lease().close(); // at least one connection opened
        String metrics = scrape();
        for (String counter : COUNTERS) {
            assertTrue(metrics.contains("# TYPE " + counter + " counter"), counter + " is a counter");
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith(counter + "_total ")), counter + "_total is its sample");
            assertFalse(metrics.lines().anyMatch(l -> l.startsWith(counter + " ") || l.startsWith(counter + "{")),
                    counter + " is not also exported without _total");
        }
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("regfleet_db_connections_opened_total") && !l.endsWith(" 0.0")),
                "the connection just opened is counted");
        for (String gauge : GAUGES) {
            assertTrue(metrics.contains("# TYPE " + gauge + " gauge"), gauge + " is a gauge");
        }
        assertTrue(metrics.contains("# TYPE regfleet_db_acquire_seconds summary"), "acquire percentiles");
        assertTrue(metrics.contains("# TYPE regfleet_db_work_seconds summary"), "work percentiles");
    }

    private static String scrape() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        // HTTP/1.1 as Prometheus scrapes (and as PodAgentTest talks to this port): the JDK client's default h2c upgrade
        // of a large reply was seen misread as HTTP/2 frames ("Frame type(100) ... exceeds MAX_FRAME_SIZE") once in a full run
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200, "status " + r.statusCode());
        return r.body();
    }
}
