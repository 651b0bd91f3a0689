package io.regfleet.control.rebalance;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolPolicyTest {
    private final PoolPolicy policy = new PoolPolicy(PoolPolicy.Tuning.DEFAULT);

    private static PodShare live(String name, int applied, double demand) {
        return new PodShare(name, true, true, applied, applied, demand);
    }

    /** The policy's targets for these pods under limits (available, slots, floor, ceiling); workers play no part here. */
    private Map<String, Integer> targets(int available, int slots, int floor, int ceiling, PodShare... pods) {
        return policy.targets(new FleetLimits(available, slots, floor, ceiling, 4, 64), List.of(pods));
    }

    @Test
    void spareGoesToThePodThatNeedsItAndEverySlotKeepsTheFloor() {
        // 24 available, 6 slots at floor 2: 3 pods live, 3 slots empty (6 reserved), 18 to share among 3 pods
        Map<String, Integer> t = targets(24, 6, 2, 16, live("a", 6, 15), live("b", 6, 1), live("c", 6, 1));
        // a needs 13 over its floor, only 12 are spare: it gets them all, b and c keep the floor
        assertEquals(14, t.get("a"));
        assertEquals(18, t.values().stream().mapToInt(Integer::intValue).sum(), "all of the spare is given out");
        assertTrue(t.get("b") >= 2 && t.get("c") >= 2);
    }

    @Test
    void demandBeyondTheSpareIsSharedInProportion() {
        Map<String, Integer> t = targets(20, 2, 4, 20, live("a", 10, 34), live("b", 10, 10));
        // floors 4 + 4; spare 12; needs 16 (30 capped at the maximum 20 - 4) and 6 -> shared 16:6 -> 9 and 3
        assertEquals(Map.of("a", 13, "b", 7), t);
    }

    @Test
    void perPodMaximumCapsEvenAnIdleFleet() {
        Map<String, Integer> t = targets(100, 3, 5, 12, live("a", 5, 0), live("b", 5, 0));
        assertEquals(Map.of("a", 12, "b", 12), t);
    }

    @Test
    void silentPodsKeepTheirCountAndLimitTheOthers() {
        FleetLimits limits = new FleetLimits(20, 3, 2, 20, 4, 64);
        PodShare silent = new PodShare("s", false, true, 12, 12, 0);
        Map<String, Integer> t = policy.targets(limits, List.of(silent, live("a", 4, 30), live("b", 4, 0)));
        assertEquals(12, t.get("s"));
        assertEquals(8, t.get("a") + t.get("b"));
        assertTrue(BudgetInvariant.committed(limits, List.of(silent, live("a", t.get("a"), 0), live("b", t.get("b"), 0))) <= 20);
    }

    @Test
    void terminatingPodsDrainToTheFloorAndHoldNoSlot() {
        PodShare leaving = new PodShare("old", true, false, 10, 10, 9);
        Map<String, Integer> t = targets(30, 3, 3, 30, leaving, live("a", 3, 3), live("b", 3, 3), live("c", 3, 3));
        assertEquals(3, t.get("old"));
        assertEquals(27, t.get("a") + t.get("b") + t.get("c"));
    }

    @Test
    void smallChangesAreNotMade() {
        // raw targets would move a and b by one connection each
        Map<String, Integer> t = targets(30, 3, 3, 30, live("a", 11, 12), live("b", 10, 9), live("c", 9, 9));
        assertEquals(Map.of("a", 11, "b", 10, "c", 9), t);
    }

    @Test
    void aSuppressedShrinkIsMadeWhenKeepingItWouldBreakTheBudget() {
        // the budget fell from 30 to 24: nothing may stay as it was
        Map<String, Integer> t = targets(24, 3, 3, 30, live("a", 10, 9), live("b", 10, 9), live("c", 10, 9));
        assertTrue(t.values().stream().mapToInt(Integer::intValue).sum() <= 24, "targets " + t);
    }

    @Test
    void whenEvenTheFloorDoesNotFitEveryPodGetsAnEqualPart() {
        PodShare silent = new PodShare("s", false, true, 6, 6, 0);
        Map<String, Integer> t = targets(10, 2, 5, 10, silent, live("a", 5, 8));
        assertEquals(4, t.get("a"), "what is left beside the silent pod");
    }
}
