package io.regfleet.e2e;

import io.regfleet.control.rebalance.PodState;
import io.regfleet.control.share.RegistryShare;
import io.regfleet.control.share.ServerShares;
import io.regfleet.fleet.local.FleetOptions;
import io.regfleet.fleet.local.LocalFleet;
import io.regfleet.fleet.local.LocalFleets;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.regfleet.e2e.FleetObserver.figure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two, then three Registries (local fleets, each its own database, replicas and rebalancer) on one PostgreSQL with a
 * small max_connections answering through a 5 ms hop, under skewed load, restarts and scale-ups. PostgreSQL's own
 * count of every Registry's connections (pg_stat_activity every 50 ms) never exceeds what the server leaves them,
 * and the shares follow the load from one Registry to another within three rounds of the one that gains.
 */
class SharedServerTest {
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final int HOT_CLIENTS = 32;

    private static FleetOptions options(int maxConnections, int replicas, int maxReplicas) {
        return FleetOptions.defaults()
                .withReplicas(replicas, maxReplicas)
                .withMaxConnections(maxConnections)
                .withPoolMaximum(20)
                .withWorkers(4, 64)
                .withTiming(INTERVAL, INTERVAL)
                .withDatabaseLatency(Duration.ofMillis(5))
                .withExtraProperties(Map.of("quarkus.log.level", "WARN", "quarkus.log.category.\"io.regfleet\".level", "INFO"));
    }

    /** A round of one fleet, with every Registry's share on the server at that moment. */
    record Round(long nanos, Instant at, List<RegistryShare> shares) {
        int share(String registry) {
            return shares.stream().filter(s -> s.registry().equals(registry)).mapToInt(RegistryShare::share).findFirst().orElse(0);
        }
    }

    /** Every round of {@code fleet}, with the server's shares as they stood after it. */
    static final class ShareRounds {
        private final List<Round> rounds = new ArrayList<>();

        ShareRounds(LocalFleet fleet, ServerShares shares) {
            fleet.addListener(report -> {
                synchronized (rounds) {
                    rounds.add(new Round(System.nanoTime(), report.at(), shares.shares()));
                    rounds.notifyAll();
                }
            });
        }

        int size() {
            synchronized (rounds) {
                return rounds.size();
            }
        }

        Round get(int i) {
            synchronized (rounds) {
                return rounds.get(i);
            }
        }

        int await(int from, Predicate<Round> condition, Duration timeout, String what) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (rounds) {
                while (true) {
                    for (int i = from; i < rounds.size(); i++) {
                        if (condition.test(rounds.get(i))) {
                            return i;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        fail("no round showed " + what + " within " + timeout + "; last: "
                                + (rounds.isEmpty() ? "none" : rounds.getLast().shares()));
                    }
                    try {
                        rounds.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        fail("interrupted");
                    }
                }
            }
        }
    }

    @Test
    void twoRegistriesShareOneServerAndTheSharesFollowTheLoadThroughRestartsAndAScaleUp() throws Exception {
        try (LocalFleets fleets = LocalFleets.start(options(40, 2, 3), 2);
             ConnectionSampler sampler = new ConnectionSampler(fleets.database())) {
            LocalFleet a = fleets.fleet(1);
            LocalFleet b = fleets.fleet(2);
            ServerShares shares = fleets.shares();
            int budget = shares.available();
            ShareRounds roundsA = new ShareRounds(a, shares);
            ShareRounds roundsB = new ShareRounds(b, shares);
            Fleets.pushImage(a.front().toString());
            Fleets.pushImage(b.front().toString());
            long committedMax;
            try (LoadGenerator backgroundB = new LoadGenerator(1, () -> b.front() + Fleets.DATABASE_READ)) {
                // the load on a: a's share grows past b's
                int from = roundsA.size();
                try (LoadGenerator hot = new LoadGenerator(HOT_CLIENTS, () -> a.front() + Fleets.DATABASE_READ)) {
                    int grown = roundsA.await(from, r -> r.share(a.registry()) > r.share(b.registry()) + 4,
                            Duration.ofSeconds(60), a.registry() + "'s share above " + b.registry() + "'s");
                    Round skewed = roundsA.get(grown);
                    figure("6-two-registries", "hot %s share %d, idle %s share %d (of %d the server leaves them) after %d rounds of %s; peak connections of both %d / %d"
                            .formatted(a.registry(), skewed.share(a.registry()), b.registry(), skewed.share(b.registry()),
                                    budget, grown - from + 1, a.registry(), sampler.peak(), budget));
                    // a restart of one of a's replicas under load: it comes back at the floor of a's share now
                    a.restart("replica-1");
                }
                // the load moves to b: b's share follows within three of b's rounds that could see it
                int moved = roundsB.size();
                Instant movedAt = Instant.now();
                try (LoadGenerator hot = new LoadGenerator(HOT_CLIENTS, () -> b.front() + Fleets.DATABASE_READ)) {
                    int followed = roundsB.await(moved, r -> r.share(b.registry()) > r.share(a.registry()),
                            Duration.ofSeconds(60), b.registry() + "'s share above " + a.registry() + "'s");
                    int informed = roundsB.await(moved, r -> !r.at().isBefore(movedAt.plus(INTERVAL)), Duration.ofSeconds(30),
                            "a round of " + b.registry() + " one window after the move");
                    int roundsTaken = Math.max(1, followed - informed + 1);
                    Round after = roundsB.get(followed);
                    figure("6-two-registries-load-moves", "%s share %d, %s share %d after %d rounds of %s (%d once its agents' window showed the move); peak connections of both %d / %d"
                            .formatted(b.registry(), after.share(b.registry()), a.registry(), after.share(a.registry()),
                                    followed - moved + 1, INTERVAL, roundsTaken, sampler.peak(), budget));
                    assertTrue(roundsTaken <= 3, "the shares followed only after " + roundsTaken + " rounds that could see the move");
                    // scale-up under load: b's third replica starts at the floor of b's share and is counted from the start
                    b.addReplica();
                    roundsB.await(roundsB.size(), r -> true, Duration.ofSeconds(30), "a round with the third replica");
                    committedMax = shares.committed();
                }
            }
            figure("6-two-registries-restart-scale", "restart of %s/replica-1 and scale of %s to 3 replicas under load; peak connections of both %d / %d; counted at the end %d"
                    .formatted(a.registry(), b.registry(), sampler.peak(), budget, committedMax));
            assertTrue(sampler.peak() <= budget, "both Registries held " + sampler.peak() + " connections, the server leaves them " + budget);
            assertTrue(a.reports().stream().allMatch(r -> r.refused() == 0) && b.reports().stream().allMatch(r -> r.refused() == 0),
                    "no plan was refused");
            assertEquals(3, b.replicas().size());
            assertTrue(b.reports().getLast().pods().stream().anyMatch(p -> p.name().equals("replica-3") && p.state() == PodState.SERVING));
        }
    }

    @Test
    void aThirdRegistryJoiningARunningServerWaitsForItsShareAndTheSumNeverExceedsTheBudget() throws Exception {
        try (LocalFleets fleets = LocalFleets.start(options(50, 2, 2), 2);
             ConnectionSampler sampler = new ConnectionSampler(fleets.database())) {
            ServerShares shares = fleets.shares();
            LocalFleet a = fleets.fleet(1);
            ShareRounds roundsA = new ShareRounds(a, shares);
            LocalFleet b = fleets.fleet(2);
            Fleets.pushImage(a.front().toString());
            Fleets.pushImage(b.front().toString());
            try (LoadGenerator hotA = new LoadGenerator(HOT_CLIENTS, () -> a.front() + Fleets.DATABASE_READ);
                 LoadGenerator hotB = new LoadGenerator(HOT_CLIENTS / 2, () -> b.front() + Fleets.DATABASE_READ)) {
                roundsA.await(roundsA.size(), r -> r.share(a.registry()) > 15, Duration.ofSeconds(60), "a's share grown");
                int budgetTwo = shares.available();
                long joining = System.nanoTime();
                LocalFleet c = fleets.add(); // the others hold the server: c waits until they have shrunk
                double joinSeconds = (System.nanoTime() - joining) / 1e9;
                int budget = shares.available();
                ShareRounds roundsC = new ShareRounds(c, shares);
                Fleets.pushImage(c.front().toString());
                int from = roundsC.size();
                try (LoadGenerator hotC = new LoadGenerator(HOT_CLIENTS, () -> c.front() + Fleets.DATABASE_READ)) {
                    int grown = roundsC.await(from, r -> r.share(c.registry()) > r.shares().stream()
                                    .filter(s -> !s.registry().equals(c.registry())).mapToInt(RegistryShare::guaranteed).max().orElse(0),
                            Duration.ofSeconds(60), c.registry() + "'s share above the others' guaranteed");
                    Round three = roundsC.get(grown);
                    figure("7-three-registries", "%s joined a loaded server in %.1f s (the others shrank first; budget %d with two, %d with three); its share %d after %d rounds (%s); peak connections of all %d / %d"
                            .formatted(c.registry(), joinSeconds, budgetTwo, budget, three.share(c.registry()), grown - from + 1,
                                    three.shares().stream().map(s -> s.registry() + " " + s.share() + "/" + s.guaranteed()).toList(),
                                    sampler.peak(), budget));
                    assertTrue(grown - from + 1 <= 3, c.registry() + "'s share grew only after " + (grown - from + 1) + " rounds");
                }
                assertTrue(sampler.peak() <= budgetTwo, "the Registries held " + sampler.peak() + ", the server leaves them " + budgetTwo);
            }
        }
    }
}
