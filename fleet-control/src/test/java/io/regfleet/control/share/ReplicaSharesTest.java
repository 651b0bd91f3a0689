package io.regfleet.control.share;

import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.share.ReplicaShares.Holder;
import io.regfleet.control.share.ReplicaShares.ReplicaClaim;
import io.regfleet.control.share.ReplicaShares.ReplicaShare;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registries naming one read replica share its budget: each counts the others at what their pods may hold. */
class ReplicaSharesTest {
    private static final String REPLICA = "7301@db-ro:5432";

    private static ServerSnapshot replica(int maxConnections, int foreign, Map<String, Integer> registries) {
        return new ServerSnapshot(new ServerIdentity(REPLICA, "db-ro:5432"),
                new DatabaseLimits(maxConnections, 3, 0, -1, foreign, false), registries);
    }

    private static ReplicaClaim claim(String name, int pods, int maximum) {
        return ReplicaClaim.fresh("ns/" + name, name, "db-ro:5432", 0, pods, maximum);
    }

    @Test
    void aSecondRegistryGetsWhatTheFirstLeavesAndAThirdNothing() {
        ReplicaShares shares = new ReplicaShares();
        // 40 - 3 superuser - 1 probe = 36 for the Registries
        ReplicaShare a = shares.claim(REPLICA, replica(40, 0, Map.of()), claim("a", 3, 6));
        assertEquals(6, a.budget().perPodPool());
        assertEquals(18, a.counted());
        // a's pods hold 4 now: b counts a at 18 (what a's pods may hold), not at 4
        ReplicaShare b = shares.claim(REPLICA, replica(40, 0, Map.of("a", 4)), claim("b", 3, 10));
        assertEquals(6, b.budget().perPodPool(), "(36 - 18) / 3");
        assertEquals("ns/a 18", b.othersExplained());
        ReplicaShare c = shares.claim(REPLICA, replica(40, 0, Map.of("a", 4, "b", 2)), claim("c", 2, 10));
        assertEquals(0, c.budget().perPodPool());
        assertEquals(0, c.counted());
        assertEquals("ns/a 18, ns/b 18", c.othersExplained());
        assertEquals(36, shares.holders(REPLICA).stream().mapToInt(Holder::counted).sum());
    }

    /**
     * A rebalanced Registry's pods start at a floor (their Deployment's pool) and move within its part: it is counted at
     * the even split for every pod that can exist or exists, not at the floors, and a scale-down counts every pod until
     * gone.
     */
    @Test
    void aRebalancedRegistryIsCountedAtItsWholePartWhateverItsPodsStartWith() {
        ReplicaShares shares = new ReplicaShares();
        // 3 pods exist with a floor of 3 (the Deployment's pool): a is counted at 6 x 3, all it may share by demand
        ReplicaShare a = shares.claim(REPLICA, replica(40, 0, Map.of()),
                new ReplicaClaim("ns/a", "a", "db-ro:5432", 0, 3, 6, 3, 3, 0, 0, 3).rebalancedIf(true));
        assertEquals(List.of(6, 18), List.of(a.budget().perPodPool(), a.counted()));
        // scaled down to 2 slots while its 3 pods still exist: counted for 3 at the even split that fits them
        a = shares.claim(REPLICA, replica(40, 0, Map.of()),
                new ReplicaClaim("ns/a", "a", "db-ro:5432", 0, 2, 20, 3, 3, 0, 0, 3).rebalancedIf(true));
        assertEquals(List.of(12, 36), List.of(a.budget().perPodPool(), a.counted()));
        assertEquals(0, shares.claim(REPLICA, replica(40, 0, Map.of()), claim("b", 1, 20)).budget().perPodPool(),
                "nothing left beside a's part");
    }

    /**
     * A rebalanced Registry's part shrinks (other clients came onto the replica) while its pods still hold what its
     * rebalancer gave them: it stays counted at that until they have been lowered, so nobody else is given that room.
     */
    @Test
    void aRebalancedPartThatShrinksStaysCountedAtWhatItsPodsHoldUntilTheyAreLowered() {
        ReplicaShares shares = new ReplicaShares();
        ReplicaClaim a = new ReplicaClaim("ns/a", "a", "db-ro:5432", 0, 3, 6, 3, 3, 0, 0, 3);
        assertEquals(18, shares.claim(REPLICA, replica(40, 0, Map.of()), a.rebalancedIf(true, 18)).counted());
        // 12 connections of other clients: 24 left, still 6 per pod; then 24 more: 12 left, 4 per pod, a part of 12
        ReplicaShare shrunk = shares.claim(REPLICA, replica(40, 24, Map.of()), a.rebalancedIf(true, 18));
        assertEquals(List.of(4, 18), List.of(shrunk.budget().perPodPool(), shrunk.counted()),
                "its pods still hold 18 (12 + 3 + 3): counted at that, not at its new part of 12");
        ReplicaShare lowered = shares.claim(REPLICA, replica(40, 24, Map.of()), a.rebalancedIf(true, 12));
        assertEquals(12, lowered.counted(), "once its rebalancer has lowered them into the part");
    }

    @Test
    void aRegistryRecordedInItsStatusIsCountedUntilItClaimsAgain() {
        ReplicaShares shares = new ReplicaShares();
        shares.recorded(REPLICA, new Holder("ns/a", "a", "db-ro:5432", 30));
        assertEquals(2, shares.claim(REPLICA, replica(40, 0, Map.of()), claim("b", 3, 10)).budget().perPodPool(), "(36 - 30) / 3");
        shares.claim(REPLICA, replica(40, 0, Map.of()), claim("a", 3, 2)); // a's plan shrank; no pods of it exist
        assertEquals(6, shares.holders(REPLICA).stream().filter(h -> h.key().equals("ns/a")).findFirst().orElseThrow()
                .counted());
    }

    @Test
    void oldPodsCountUntilGoneAndAReleasedReplicaIsForgotten() {
        ReplicaShares shares = new ReplicaShares();
        shares.claim(REPLICA, replica(40, 0, Map.of()), claim("a", 3, 10));
        // a goes to 1 pod while its 3 pods (pool 10) exist: a new pod at 16 fits beside 2 of the old ones (36)
        ReplicaShare a = shares.claim(REPLICA, replica(40, 0, Map.of()),
                new ReplicaClaim("ns/a", "a", "db-ro:5432", 0, 1, 20, 10, 3, 0, 0, 3));
        assertEquals(16, a.budget().perPodPool());
        assertEquals(36, a.counted());
        // while they go, the pool stays; b meanwhile finds no room
        a = shares.claim(REPLICA, replica(40, 0, Map.of()), new ReplicaClaim("ns/a", "a", "db-ro:5432", 0, 1, 20, 16, 1, 10, 2, 3));
        assertEquals(16, a.budget().perPodPool());
        assertEquals(36, a.counted());
        assertEquals(0, shares.claim(REPLICA, replica(40, 0, Map.of()), claim("b", 1, 20)).budget().perPodPool());
        // once they are gone, its one pod may grow to 20 (one pod at a time: podsCounted 1)
        a = shares.claim(REPLICA, replica(40, 0, Map.of()), new ReplicaClaim("ns/a", "a", "db-ro:5432", 0, 1, 20, 16, 1, 0, 0, 1));
        assertEquals(20, a.budget().perPodPool());
        assertEquals(20, a.counted());
        shares.forget("ns/b");
        shares.retainOnly("ns/a", Set.of(), Set.of("db-ro:5432"));
        assertEquals(1, shares.holders(REPLICA).size(), "its pods still have a pool there");
        shares.retainOnly("ns/a", Set.of(), Set.of());
        assertTrue(shares.holders(REPLICA).isEmpty());
    }

    /** One step of a simulated cluster: a Registry's reconciliation (a claim), or its rollout finishing. */
    record Step(int registry, boolean rolled, int pods, int maximum, int reserve) {
    }

    /**
     * The pods of one Registry: each generation's pool and the most pods it may have. Older generations only go; all
     * of them together stay within the largest count (a rollout's bound).
     */
    private static final class Pods {
        final List<int[]> generations = new ArrayList<>();

        int currentPool() {
            return generations.isEmpty() ? 0 : generations.getLast()[0];
        }

        int currentPods() {
            return generations.isEmpty() ? 0 : generations.getLast()[1];
        }

        int oldPool() {
            return older().stream().filter(g -> g[1] > 0).mapToInt(g -> g[0]).max().orElse(0);
        }

        int oldPods() {
            return older().stream().filter(g -> g[0] > 0).mapToInt(g -> g[1]).max().orElse(0);
        }

        int existing() {
            return generations.stream().mapToInt(g -> g[1]).max().orElse(0);
        }

        private List<int[]> older() {
            return generations.isEmpty() ? List.of() : generations.subList(0, generations.size() - 1);
        }

        /** The most they can hold: k pods of the newest generation, the older ones within the largest count. */
        long mayHold() {
            if (generations.isEmpty()) {
                return 0;
            }
            int[] newest = generations.getLast();
            long most = 0;
            for (int k = 0; k <= newest[1]; k++) {
                most = Math.max(most, (long) newest[0] * k + (long) oldPool() * Math.min(oldPods(), existing() - k));
            }
            return most;
        }

        /** The Deployment now gives {@code pool} to {@code pods} pods. */
        void planned(int pool, int pods) {
            if (!generations.isEmpty() && currentPool() == pool) {
                int[] newest = generations.getLast();
                newest[1] = Math.max(newest[1], pods); // scaled: the pods beyond the new count may still be there
            } else {
                generations.add(new int[] {pool, pods});
            }
        }

        void rolled() {
            if (!generations.isEmpty()) {
                int[] newest = generations.getLast();
                generations.clear();
                generations.add(new int[] {newest[0], newest[1]});
            }
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.of(true, false, false),
                        Arbitraries.integers().between(0, 12), Arbitraries.integers().between(1, 40),
                        Arbitraries.integers().between(0, 5))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 2000)
    void whatEveryRegistrysPodsMayHoldStaysWithinTheReplica(@ForAll @IntRange(min = 4, max = 300) int maxConnections,
            @ForAll @IntRange(min = 0, max = 40) int foreign, @ForAll("steps") @Size(min = 1) List<Step> steps) {
        ReplicaShares shares = new ReplicaShares();
        ServerSnapshot seen = replica(maxConnections, foreign, Map.of());
        long room = Math.max(0, maxConnections - 3 - 1 - foreign);
        List<Pods> fleets = List.of(new Pods(), new Pods(), new Pods(), new Pods());
        boolean exceeded = false;
        for (Step step : steps) {
            Pods pods = fleets.get(step.registry());
            if (step.rolled()) {
                pods.rolled();
            } else {
                String name = "r" + step.registry();
                ReplicaClaim claim = new ReplicaClaim("ns/" + name, name, "db-ro:5432", step.reserve(), step.pods(),
                        step.maximum(), pods.currentPool(), pods.currentPods(), pods.oldPool(), pods.oldPods(), pods.existing());
                // a new pod count mid-rollout lets the old pods coexist with more new ones: not the shares' doing
                long othersCounted = shares.holders(REPLICA).stream().filter(h -> !h.key().equals(claim.key()))
                        .mapToLong(Holder::counted).sum();
                exceeded |= othersCounted + claim.mayHold(0, pods.currentPods() + pods.oldPods(),
                        Math.max(pods.currentPool(), pods.oldPool())) > room;
                ReplicaShare got = shares.claim(REPLICA, seen, claim);
                pods.planned(got.budget().perPodPool(), step.pods());
                assertTrue(pods.mayHold() <= got.counted(), () -> "counted below what its pods may hold: " + got);
            }
            long mayHold = fleets.stream().mapToLong(Pods::mayHold).sum();
            long counted = shares.holders(REPLICA).stream().mapToLong(Holder::counted).sum();
            assertTrue(mayHold <= counted, "counted below what the pods may hold");
            if (!exceeded) {
                assertTrue(counted <= room, () -> "over the replica: " + counted + " counted, " + room + " room");
            }
        }
    }
}
