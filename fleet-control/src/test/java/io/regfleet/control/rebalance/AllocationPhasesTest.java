package io.regfleet.control.rebalance;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Phase two's verdict on a plan, with plans made by hand: "refused" (the counter behind the refused-raise alert, whose
 * runbook says "a bug") only when the plan itself breaks the budget, never because silent pods already do.
 */
class AllocationPhasesTest {
    private static final FleetLimits BUDGET = new FleetLimits(24, 3, 2, 14, 4, 64);

    private final AllocationPhases phases = new AllocationPhases("test", new SimulatedFleet(24, 3, 2),
            new Rebalancer.Settings(Duration.ofMillis(60), Duration.ofMillis(10), Duration.ofSeconds(30)),
            new MutableClock());

    private static PodRecord pod(String name, int applied, boolean answers) {
        PodRecord r = new PodRecord(name, applied);
        r.pod = new FleetPod(name, URI.create("http://" + name), false);
        r.listed = true;
        r.reachable = answers;
        return r;
    }

    @Test
    void aRaiseWhileSilentPodsAreOverTheBudgetWaitsAndIsNotRefused() {
        List<PodRecord> records = List.of(pod("a", 14, false), pod("b", 14, false), pod("c", 1, true));
        AllocationPhases.Raises raises = phases.raise(BUDGET, records, Map.of("a", 14, "b", 14, "c", 3), Map.of());
        assertEquals(new AllocationPhases.Raises(0, 1, 0), raises);
        assertEquals(1, records.get(2).counted, "not raised");
    }

    @Test
    void aPlanThatBreaksTheBudgetOnItsOwnIsRefused() {
        List<PodRecord> records = List.of(pod("a", 8, true), pod("b", 8, true), pod("c", 2, true));
        AllocationPhases.Raises raises = phases.raise(BUDGET, records, Map.of("a", 8, "b", 8, "c", 12), Map.of());
        assertEquals(new AllocationPhases.Raises(0, 0, 1), raises, "8 + 8 + 12 = 28 > 24");
        assertEquals(2, records.get(2).counted, "not raised");
    }
}
