package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.PodState;
import io.regfleet.control.rebalance.RebalanceReport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A real fleet: two registry JVMs (at most three) on embedded PostgreSQL behind the front address, rebalanced. */
class LocalFleetTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void frontSpreadsTrafficRebalancerCoversEveryReplicaWithinBudgetAndAddedReplicaJoins() throws Exception {
        LocalFleet.Options options = LocalFleet.Options.defaults()
                .withReplicas(2, 3)
                .withMaxConnections(40)
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(30));
        try (LocalFleet fleet = LocalFleet.start(options)) {
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

            IllegalStateException full = assertThrows(IllegalStateException.class, fleet::addReplica);
            assertTrue(full.getMessage().contains("3 slots"), full.getMessage());
            assertTrue(AllocationTable.format(later).contains("replica-3"));
        }
    }

    private static Set<String> names(RebalanceReport report) {
        return report.pods().stream().map(PodReport::name).collect(Collectors.toSet());
    }

    /** Waits for a report matching the condition; fails with the last reports when none comes. */
    private static RebalanceReport await(LocalFleet fleet, Predicate<RebalanceReport> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<RebalanceReport> reports = fleet.reports();
            for (RebalanceReport r : reports.reversed()) {
                if (condition.test(r)) {
                    return r;
                }
            }
            Thread.sleep(200);
        }
        List<RebalanceReport> reports = fleet.reports();
        return fail("no matching report within " + WAIT + "; last: "
                + (reports.isEmpty() ? "none" : AllocationTable.format(reports.getLast())));
    }

    /** A new client each time, so each request is a new TCP connection the front address places. */
    private static int get(URI uri) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
