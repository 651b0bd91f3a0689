package io.regfleet.control.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.PodState;
import io.regfleet.control.rebalance.RebalanceReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RebalanceMetricsTest {
    /** 40 available over 4 slots, floor 5, a pod may be raised to 20. */
    private static final FleetLimits LIMITS = new FleetLimits(40, 4, 5, 20, 4, 64);
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static PodReport pod(String name, PodState state, int poolMax, double demand) {
        return new PodReport(name, state, poolMax, poolMax, poolMax, 8, 2, 1, demand, 10);
    }

    @Test
    void neededCountsDemandAtLeastTheFloorAndAtMostTheCeilingAndEmptySlotsAtTheFloor() {
        RebalanceReport report = new RebalanceReport(AT, LIMITS, 40, List.of(
                pod("idle", PodState.SERVING, 15, 0.5),       // spread spare: needs only its floor, 5
                pod("busy", PodState.SERVING, 15, 31.2),      // wants more than the ceiling: 20
                pod("new", PodState.SILENT, 5, Double.NaN),   // unknown demand: what it is counted at, 5
                pod("old", PodState.GONE, 5, 3)), 2, 1, 0);   // gone: counted until its grace ends, 5
        // one empty slot (3 pods hold slots of 4) at the floor: 5
        assertEquals(5 + 20 + 5 + 5 + 5, RebalanceMetrics.needed(report));
    }

    @Test
    void roundsAreCountedAndPodsByStateAndPodMetersGoWithThePod() {
        MeterRegistry meters = new SimpleMeterRegistry();
        try (RebalanceMetrics metrics = new RebalanceMetrics(meters, "ns", "reg")) {
            metrics.rebalanced(new RebalanceReport(AT, LIMITS, 30, List.of(pod("a", PodState.SERVING, 10, 4),
                    pod("b", PodState.SILENT, 10, Double.NaN)), 3, 2, 1));
            metrics.rebalanced(new RebalanceReport(AT.plusSeconds(10), LIMITS, 25, List.of(pod("a", PodState.SERVING, 12, 4)), 1, 0, 0));
            assertEquals(2, meters.get(RebalanceMetrics.ROUNDS).tags("namespace", "ns", "registry", "reg").counter().count());
            assertEquals(4, meters.get(RebalanceMetrics.CHANGES).counter().count());
            assertEquals(2, meters.get(RebalanceMetrics.DEFERRED).counter().count());
            assertEquals(1, meters.get(RebalanceMetrics.REFUSED).counter().count());
            assertEquals(25, meters.get(RebalanceMetrics.COMMITTED).gauge().value());
            assertEquals(AT.plusSeconds(10).getEpochSecond(), meters.get(RebalanceMetrics.LAST_ROUND).gauge().value());
            assertEquals(1, meters.get(RebalanceMetrics.PODS).tag("state", "serving").gauge().value());
            assertEquals(0, meters.get(RebalanceMetrics.PODS).tag("state", "silent").gauge().value());
            assertEquals(12, meters.get(RebalanceMetrics.POOL_MAX).tag("pod", "a").gauge().value());
            assertNull(meters.find(RebalanceMetrics.POOL_MAX).tag("pod", "b").gauge(), "b left the report");
        }
        assertEquals(List.of(), meters.getMeters(), "closed: every meter removed");
    }
}
