package io.regfleet.control.rebalance;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RebalancerTest {
    private static final Rebalancer.Settings FAST = new Rebalancer.Settings(Duration.ofMillis(60), Duration.ofMillis(10), Duration.ofSeconds(30));

    private final MutableClock clock = new MutableClock();

    private Rebalancer rebalancer(SimulatedFleet fleet, int poolMaximum) {
        return new Rebalancer("test", fleet, fleet, () -> fleet.limits(poolMaximum), new PoolPolicy(PoolPolicy.Tuning.DEFAULT), FAST, clock);
    }

    private static RebalanceReport rounds(Rebalancer r, int n) {
        RebalanceReport last = null;
        for (int i = 0; i < n; i++) {
            last = r.round();
        }
        return last;
    }

    private static PodReport pod(RebalanceReport report, String name) {
        return report.pods().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static int pool(RebalanceReport report, String pod) {
        return pod(report, pod).poolMax();
    }

    @Test
    void theBusyPodGrowsTheIdleOnesShrinkAndTheBudgetHoldsAtEveryChange() {
        SimulatedFleet fleet = new SimulatedFleet(24, 4, 2).with("a", 6, 30).with("b", 6, 1).with("c", 6, 1);
        RebalanceReport report = rounds(rebalancer(fleet, 16), 6);
        assertTrue(pool(report, "a") >= 12, "a: " + report);
        assertTrue(pool(report, "b") < 6 && pool(report, "c") < 6, report.toString());
        assertTrue(report.committed() <= 24);
        assertEquals(List.of(), fleet.violations);
    }

    /**
     * A read replica's pools (a replica-scoped agent and {@link Rebalancer.Settings#forReplica()}): the same two phases
     * and invariant within the Registry's part of the replica, the busy pod above the floor once the others shrank,
     * and no pod's worker limit touched (the primary's rebalancer would raise the busy pod's with its pool).
     */
    @Test
    void aReplicasPoolsAreRebalancedWithinItsPartAndTheWorkersAreLeftAlone() {
        FleetLimits limits = FleetLimits.ofReplica(18, 3, 4, 20).orElseThrow();
        assertEquals(new FleetLimits(18, 3, 4, 10, 1, 1), limits, "ceiling: 18 less two floors of 4");
        SimulatedFleet fleet = new SimulatedFleet(18, 3, 4).with("a", 6, 30).with("b", 6, 1).with("c", 6, 1);
        Rebalancer r = new Rebalancer("replica", fleet, fleet, () -> limits, new PoolPolicy(PoolPolicy.Tuning.DEFAULT),
                FAST.forReplica(), clock);
        RebalanceReport report = rounds(r, 6);
        assertEquals(List.of(10, 4, 4), List.of(pool(report, "a"), pool(report, "b"), pool(report, "c")), report.toString());
        assertTrue(report.committed() <= 18);
        assertEquals(List.of(), fleet.violations, "within the part at every change: the shrinks first");
        assertEquals(List.of(8, 8, 8), fleet.pods.values().stream().map(p -> p.workers).toList(), "workers untouched");

        SimulatedFleet primary = new SimulatedFleet(18, 3, 4).with("a", 6, 30).with("b", 6, 1).with("c", 6, 1);
        rounds(rebalancer(primary, 10), 6);
        assertTrue(primary.pods.get("a").workers >= 10, "the primary's rebalancer raises them with the pool");
    }

    @Test
    void aReplicasLimitsFitEveryFloorAndLeaveTheRestToShare() {
        assertEquals(new FleetLimits(10, 4, 2, 4, 1, 1), FleetLimits.ofReplica(10, 4, 8, 20).orElseThrow(),
                "the floor lowered to 10 / 4");
        assertEquals(new FleetLimits(40, 2, 4, 12, 1, 1), FleetLimits.ofReplica(40, 2, 4, 12).orElseThrow(),
                "the ceiling at the per-pod maximum");
        assertTrue(FleetLimits.ofReplica(3, 4, 2, 20).isEmpty(), "less than one per slot");

        // one starting size for every replica pool of a pod: the floor that fits the smallest part
        var replicas = ReplicaLimits.of(new java.util.LinkedHashMap<>(Map.of("r1:5432", 24, "r2:5432", 8, "r3:5432", 3)), 4, 5, 20);
        assertEquals(Map.of("r1:5432", new FleetLimits(24, 4, 2, 18, 1, 1), "r2:5432", new FleetLimits(8, 4, 2, 2, 1, 1)), replicas,
                "r3 has less than one per slot: left out");
        assertEquals(List.of(2, 18), List.of(ReplicaLimits.floor(replicas).getAsInt(), ReplicaLimits.ceiling(replicas).getAsInt()));
    }

    @Test
    void raisesWaitUntilTheShrinksAreReportedDone() {
        SimulatedFleet fleet = new SimulatedFleet(20, 2, 2);
        SimulatedFleet.Pod a = fleet.add("a", 10, 2);
        a.stuck = 10; // long work holds every connection beyond the shrink timeout
        a.drainLeft = 1000;
        fleet.add("b", 10, 40);
        Rebalancer r = rebalancer(fleet, 18);
        RebalanceReport first = r.round();
        assertEquals(10, pool(first, "b"), "b is not raised while a still holds its old maximum");
        assertTrue(first.deferred() > 0, first.toString());
        assertEquals(PodState.SHRINKING, pod(first, "a").state());
        a.drainLeft = 0;
        RebalanceReport later = rounds(r, 3);
        assertTrue(pool(later, "b") > 10, later.toString());
        assertEquals(List.of(), fleet.violations);
    }

    @Test
    void aSilentPodStaysCountedAtItsLastAllocationAndRejoins() {
        SimulatedFleet fleet = new SimulatedFleet(24, 3, 2).with("a", 8, 1).with("b", 8, 1).with("c", 8, 1);
        Rebalancer r = rebalancer(fleet, 20);
        r.round();
        fleet.pods.get("c").answering = false;
        fleet.pods.get("a").load = 40;
        RebalanceReport silent = rounds(r, 5);
        PodReport c = pod(silent, "c");
        assertEquals(PodState.SILENT, c.state());
        assertEquals(fleet.pods.get("c").poolMax, c.counted(), "counted at what it last had");
        assertTrue(silent.committed() <= 24);
        fleet.pods.get("c").answering = true;
        RebalanceReport back = r.round();
        assertEquals(PodState.SERVING, pod(back, "c").state());
        assertEquals(List.of(), fleet.violations);
    }

    @Test
    void aPodThatIsGoneStaysCountedForItsGracePeriod() {
        SimulatedFleet fleet = new SimulatedFleet(20, 2, 2).with("a", 10, 1).with("b", 10, 30);
        Rebalancer r = rebalancer(fleet, 18);
        r.round();
        fleet.pods.get("a").listed = false;
        fleet.pods.get("a").answering = false;
        clock.advance(Duration.ofSeconds(10));
        RebalanceReport inGrace = r.round();
        assertEquals(PodState.GONE, pod(inGrace, "a").state());
        assertTrue(inGrace.committed() <= 20, inGrace.toString());
        clock.advance(Duration.ofSeconds(31));
        RebalanceReport after = r.round();
        assertTrue(after.pods().stream().noneMatch(p -> p.name().equals("a")), after.toString());
        assertEquals(List.of(), fleet.violations);
    }

    @Test
    void aPodNeverHeardFromCountsAtTheSeededOrMaximumAllocation() {
        SimulatedFleet fleet = new SimulatedFleet(30, 3, 2);
        fleet.add("a", 2, 1).answering = false;
        fleet.add("b", 2, 1).answering = false;
        Rebalancer r = rebalancer(fleet, 12);
        r.seed(Map.of("a", 5));
        RebalanceReport report = r.round();
        assertEquals(5, report.pods().get(0).counted());
        assertEquals(12, report.pods().get(1).counted());
        assertEquals(5 + 12 + 2, report.committed());
    }

    /**
     * Two pods never heard from, counted at the ceiling, are over the budget on their own: the pod that answers is
     * lowered to one connection and nothing is "refused" (that counter pages someone for a rebalancer bug).
     */
    @Test
    void silentPodsOverTheBudgetLowerTheOthersAndRefuseNothing() {
        SimulatedFleet fleet = new SimulatedFleet(24, 3, 2);
        fleet.add("a", 2, 1).answering = false;
        fleet.add("b", 2, 1).answering = false;
        fleet.add("c", 2, 30);
        RebalanceReport report = rounds(rebalancer(fleet, 14), 3);
        assertEquals(14 + 14 + 1, report.committed(), report.toString());
        assertEquals(1, pool(report, "c"));
        assertEquals(0, report.refused(), report.toString());
    }

    @Test
    void noBudgetYetMeansNoRound() {
        SimulatedFleet fleet = new SimulatedFleet(30, 3, 2);
        assertNull(new Rebalancer("t", fleet, fleet, () -> null, new PoolPolicy(PoolPolicy.Tuning.DEFAULT), FAST, clock).round());
    }
}
