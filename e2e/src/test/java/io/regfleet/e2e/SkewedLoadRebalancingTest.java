package io.regfleet.e2e;

import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.fleet.local.FleetOptions;
import io.regfleet.fleet.local.LocalFleet;
import io.regfleet.fleet.local.Replica;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.regfleet.e2e.FleetObserver.describe;
import static io.regfleet.e2e.FleetObserver.figure;
import static io.regfleet.e2e.FleetObserver.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenarios 1 and 2: three replicas, one of them loaded (its database work bound by connection hold time: PostgreSQL
 * answers through a 5 ms hop). Run once with the static even split and once with the rebalancer; PostgreSQL's own
 * count of the fleet's connections (pg_stat_activity every 50 ms) must stay within the budget throughout.
 */
class SkewedLoadRebalancingTest {
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final int HOT_CLIENTS = 32;
    private static final Duration MEASURE = Duration.ofSeconds(12);

    private static FleetOptions options() {
        return FleetOptions.defaults()
                .withReplicas(3, 3)
                .withMaxConnections(30)
                .withPoolMaximum(20)
                .withWorkers(4, 64)
                .withTiming(INTERVAL, INTERVAL)
                .withDatabaseLatency(Duration.ofMillis(5))
                .withExtraProperties(java.util.Map.of("quarkus.log.level", "WARN",
                        "quarkus.log.category.\"io.regfleet\".level", "INFO"));
    }

    @Test
    void theLoadedReplicaGetsTheSpareAndBeatsTheStaticSplitThenAllocationsFollowTheLoad() throws Exception {
        double staticRate;
        int staticPool;
        try (LocalFleet fleet = LocalFleet.start(options().withStaticSplit());
             ConnectionSampler sampler = new ConnectionSampler(fleet.database())) {
            Fleets.pushImage(fleet.front().toString());
            Replica hot = fleet.replica("replica-1");
            staticPool = fleet.limits().floor();
            try (LoadGenerator load = new LoadGenerator(HOT_CLIENTS, () -> hot.api() + Fleets.DATABASE_READ);
                 LoadGenerator background = background(fleet)) {
                sleep(Duration.ofSeconds(4));
                staticRate = rate(load, MEASURE);
            }
            int available = fleet.limits().available();
            figure("1-static", "pool %d per replica (even split of %d), hot replica %.0f req/s, peak fleet connections %d / budget %d"
                    .formatted(staticPool, available, staticRate, sampler.peak(), available));
            assertTrue(sampler.peak() <= available, "static split over budget: " + sampler.peak());
        }

        try (LocalFleet fleet = LocalFleet.start(options().withRebalance(50));
             ConnectionSampler sampler = new ConnectionSampler(fleet.database())) {
            FleetObserver rounds = new FleetObserver(fleet);
            Fleets.pushImage(fleet.front().toString());
            int available = fleet.limits().available();
            int floor = fleet.limits().floor();
            Replica hot = fleet.replica("replica-1");
            long started = System.nanoTime();
            int before = rounds.size();
            double rebalancedRate;
            double churn;
            int hotPool;
            try (LoadGenerator load = new LoadGenerator(HOT_CLIENTS, () -> hot.api() + Fleets.DATABASE_READ);
                 LoadGenerator background = background(fleet)) {
                // scenario 1: the hot replica's allocation grows past the even split, the others shrink
                int grown = rounds.await(before, r -> pod(r, "replica-1").poolMax() > staticPool
                        && pod(r, "replica-2").poolMax() < staticPool && pod(r, "replica-3").poolMax() < staticPool,
                        Duration.ofSeconds(40), "replica-1 above the even split " + staticPool);
                double convergence = (rounds.round(grown).nanos() - started) / 1e9;
                int settled = settle(rounds, grown);
                int steadyFrom = rounds.size();
                rebalancedRate = rate(load, MEASURE);
                churn = rounds.changesPerMinute(steadyFrom);
                double poolChurn = rounds.poolChangesPerMinute(steadyFrom);
                RebalanceReport steady = rounds.latest();
                hotPool = pod(steady, "replica-1").poolMax();
                figure("1-rebalanced", "floor %d, hot replica pool %d (even split %d), others %d and %d; %.0f req/s vs static %.0f (x%.2f); above the split after %.1f s (%d rounds), settled after %d rounds; churn at steady load %.1f changes/min (%.1f of them pool maxima, the rest worker limits); peak fleet connections %d / budget %d; max committed %d"
                        .formatted(floor, hotPool, staticPool, pod(steady, "replica-2").poolMax(), pod(steady, "replica-3").poolMax(),
                                rebalancedRate, staticRate, rebalancedRate / staticRate, convergence, grown - before + 1,
                                settled - before + 1, churn, poolChurn, sampler.peak(), available, rounds.maxCommitted(before)));
                assertTrue(hotPool > staticPool, describe(steady));

                // scenario 2: the load moves to replica-2; allocations follow within three intervals
                int moved = rounds.size();
                long movedAt = System.nanoTime();
                java.time.Instant movedInstant = java.time.Instant.now();
                load.close();
                try (LoadGenerator moving = new LoadGenerator(HOT_CLIENTS, () -> fleet.replica("replica-2").api() + Fleets.DATABASE_READ)) {
                    // followed: the newly loaded replica is above the even split and holds the larger share
                    int followed = rounds.await(moved, r -> pod(r, "replica-2").poolMax() > staticPool
                                    && pod(r, "replica-1").poolMax() < pod(r, "replica-2").poolMax(),
                            Duration.ofSeconds(40), "replica-2 above the even split and above replica-1");
                    int drained = rounds.await(followed, r -> pod(r, "replica-1").poolMax() < staticPool,
                            Duration.ofSeconds(40), "replica-1 below the even split");
                    int roundsTaken = followed - moved + 1;
                    // the first round whose agents' usage window (one interval) lies wholly after the move
                    int firstInformed = rounds.await(moved, r -> !r.at().isBefore(movedInstant.plus(INTERVAL)),
                            Duration.ofSeconds(40), "a round started one window after the move");
                    int informedRounds = Math.max(1, followed - firstInformed + 1);
                    figure("2-load-moves", "allocations followed after %.1f s, %d rounds of %s (%d once the agents' window showed the move) (replica-2 %d, replica-1 %d); replica-1 below the split after %d rounds; peak fleet connections %d / budget %d"
                            .formatted((rounds.round(followed).nanos() - movedAt) / 1e9, roundsTaken, INTERVAL, informedRounds,
                                    pod(rounds.round(followed).report(), "replica-2").poolMax(),
                                    pod(rounds.round(followed).report(), "replica-1").poolMax(), drained - moved + 1,
                                    sampler.peak(), available));
                    // rounds before that saw (part of) the old load: they cannot know yet
                    assertTrue(informedRounds <= 3, "allocations followed only after " + informedRounds
                            + " rounds that could see the move (" + roundsTaken + " in all)");
                }
            }
            assertTrue(sampler.peak() <= available, "fleet held " + sampler.peak() + " connections, budget " + available);
            assertTrue(rounds.maxCommitted(before) <= available, "a round counted more than the budget");
            assertEquals(0, rounds.since(before).stream().mapToInt(r -> r.report().refused()).sum(), "no plan was refused");
        }
    }

    /** One client on each other replica, so they are not idle. */
    private static LoadGenerator background(LocalFleet fleet) {
        List<Replica> others = fleet.replicas().stream().filter(r -> !r.name().equals("replica-1")).toList();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        return new LoadGenerator(others.size(), () -> others.get(Math.floorMod(next.getAndIncrement(), others.size())).api() + Fleets.DATABASE_READ);
    }

    /** The first round after {@code from} that makes no change; returns its index. */
    private static int settle(FleetObserver rounds, int from) {
        return rounds.await(from + 1, r -> r.changes() == 0, Duration.ofSeconds(30), "a round without changes");
    }

    private static double rate(LoadGenerator load, Duration window) {
        long before = load.count(200);
        long start = System.nanoTime();
        sleep(window);
        return (load.count(200) - before) / ((System.nanoTime() - start) / 1e9);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
