package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.RebalanceReport;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/** The fleet the tests run, and waiting for its rounds. */
final class FleetFixtures {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private FleetFixtures() {
    }

    /** Two replicas of at most three, on a server of 40 connections, a round every second. */
    static FleetOptions twoOfThreeEverySecond() {
        return FleetOptions.defaults()
                .withReplicas(2, 3)
                .withMaxConnections(40)
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    static Set<String> names(RebalanceReport report) {
        return report.pods().stream().map(PodReport::name).collect(Collectors.toSet());
    }

    /** Waits for a report matching the condition; fails with the last reports when none comes. */
    static RebalanceReport await(LocalFleet fleet, Predicate<RebalanceReport> condition) throws InterruptedException {
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
}
