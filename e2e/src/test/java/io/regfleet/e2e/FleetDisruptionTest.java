package io.regfleet.e2e;

import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.PodState;
import io.regfleet.fleet.local.FleetOptions;
import io.regfleet.fleet.local.LocalFleet;
import io.regfleet.fleet.local.Replica;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.regfleet.e2e.FleetObserver.describe;
import static io.regfleet.e2e.FleetObserver.figure;
import static io.regfleet.e2e.FleetObserver.has;
import static io.regfleet.e2e.FleetObserver.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenarios 5, 3 and 4 on one rebalanced fleet under steady load through its front address: a replica that stops
 * answering, kill -9 of every replica, and scaling from 3 to 6. PostgreSQL's count of the fleet's connections
 * (pg_stat_activity every 50 ms) never exceeds the budget, nor does any round's count.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetDisruptionTest {
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static LocalFleet fleet;
    private static ConnectionSampler sampler;
    private static FleetObserver rounds;
    private static LoadGenerator load;
    private static int available;

    @BeforeAll
    static void start() {
        fleet = LocalFleet.start(FleetOptions.defaults()
                .withReplicas(3, 6)
                .withMaxConnections(40)
                .withPoolMaximum(16)
                .withWorkers(4, 64)
                .withTiming(INTERVAL, INTERVAL)
                .withDatabaseLatency(Duration.ofMillis(2))
                .withExtraProperties(Map.of("quarkus.log.level", "WARN", "quarkus.log.category.\"io.regfleet\".level", "INFO")));
        available = fleet.limits().available();
        sampler = new ConnectionSampler(fleet.database());
        rounds = new FleetObserver(fleet);
        String manifest = Fleets.pushImage(fleet.front().toString());
        load = new LoadGenerator(16, () -> fleet.front() + manifest);
        rounds.await(0, r -> r.pods().size() == 3 && r.pods().stream().allMatch(p -> p.state() == PodState.SERVING),
                Duration.ofSeconds(30), "three serving replicas");
    }

    @AfterAll
    static void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        if (sampler != null) {
            sampler.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    private static void assertWithinBudget(String scenario, int fromRound) {
        assertTrue(sampler.peak() <= available, scenario + ": the fleet held " + sampler.peak() + " connections, budget " + available);
        assertTrue(rounds.maxCommitted(fromRound) <= available, scenario + ": a round counted more than the budget");
    }

    @Test
    @Order(1)
    void aReplicaThatStopsAnsweringStaysCountedAndRejoins() {
        sampler.resetPeak();
        int from = rounds.size();
        int lastKnown = pod(rounds.latest(), "replica-3").poolMax();
        fleet.pause("replica-3");
        try {
            int silent = rounds.await(from, r -> has(r, "replica-3", PodState.SILENT), Duration.ofSeconds(20), "replica-3 silent");
            int settled = rounds.await(silent + 2, r -> true, Duration.ofSeconds(20), "two more rounds");
            for (var round : rounds.since(silent)) {
                PodReport paused = pod(round.report(), "replica-3");
                assertEquals(PodState.SILENT, paused.state(), describe(round.report()));
                assertTrue(paused.counted() >= lastKnown, "a silent replica stays counted at its last allocation: " + describe(round.report()));
            }
            figure("5-paused", "SIGSTOP replica-3: counted at %d (last known %d) for %d rounds; committed at most %d; peak fleet connections %d / budget %d"
                    .formatted(pod(rounds.round(settled).report(), "replica-3").counted(), lastKnown, settled - silent + 1,
                            rounds.maxCommitted(from), sampler.peak(), available));
        } finally {
            fleet.resume("replica-3");
        }
        int back = rounds.size();
        int rejoined = rounds.await(back, r -> has(r, "replica-3", PodState.SERVING), Duration.ofSeconds(20), "replica-3 serving again");
        figure("5-resumed", "SIGCONT: replica-3 serving again after %d rounds".formatted(rejoined - back + 1));
        assertWithinBudget("pause", from);
    }

    @Test
    @Order(2)
    void killingEveryReplicaUnderLoadNeverBreaksTheBudget() throws Exception {
        sampler.resetPeak();
        int from = rounds.size();
        long stormStart = System.nanoTime();
        List<String> names = fleet.replicas().stream().map(Replica::name).toList();
        for (String name : names) {
            fleet.kill(name);
        }
        try (ExecutorService restarts = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : names) {
                restarts.submit(() -> {
                    fleet.restart(name);
                    return null;
                });
            }
        }
        int recovered = rounds.await(from, r -> names.stream().allMatch(n -> has(r, n, PodState.SERVING))
                        && rounds.since(0).size() > 0, Duration.ofSeconds(60), "every replica serving after the storm");
        sleep(INTERVAL.multipliedBy(3)); // load keeps running on the restarted fleet for a few rounds
        figure("3-restart-storm", "kill -9 of %d replicas under 16 clients, restarted: all serving %.1f s after the kill; peak fleet connections %d / budget %d; max committed %d; statuses %s"
                .formatted(names.size(), (rounds.round(recovered).nanos() - stormStart) / 1e9, sampler.peak(), available,
                        rounds.maxCommitted(from), load.statuses()));
        assertWithinBudget("restart storm", from);
        assertEquals(0, load.count(500), "no 500 during the storm: " + load.statuses());
    }

    @Test
    @Order(3)
    void scalingFromThreeToSixStartsNewReplicasAtTheFloor() throws Exception {
        sampler.resetPeak();
        int from = rounds.size();
        int floor = fleet.limits().floor();
        for (int i = 0; i < 3; i++) {
            Replica added = fleet.addReplica();
            String started = Files.readString(added.process().log());
            assertTrue(started.contains("pool max " + floor + ","), added.name() + " must start at the floor " + floor + ": "
                    + started.lines().filter(l -> l.contains("connection governance")).toList());
        }
        int six = rounds.await(from, r -> r.pods().stream().filter(p -> p.state() == PodState.SERVING).count() == 6,
                Duration.ofSeconds(30), "six serving replicas");
        int settled = rounds.await(six + 2, r -> true, Duration.ofSeconds(20), "two more rounds");
        figure("4-scale-3-to-6", "new replicas started at the floor %d; six serving after %d rounds; peak fleet connections %d / budget %d; max committed %d; %s"
                .formatted(floor, six - from + 1, sampler.peak(), available, rounds.maxCommitted(from),
                        describe(rounds.round(settled).report())));
        assertEquals(0, rounds.round(settled).report().emptySlots(), "every slot is held");
        assertWithinBudget("scale up", from);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
