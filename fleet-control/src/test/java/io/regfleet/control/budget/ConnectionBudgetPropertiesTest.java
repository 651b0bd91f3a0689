package io.regfleet.control.budget;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** For any limits, replicas, surge and reserves: the fleet never holds more than the database allows. */
class ConnectionBudgetPropertiesTest {

    @Property(tries = 3000)
    void theSumNeverExceedsWhatIsAvailable(
            @ForAll @IntRange(min = 1, max = 10_000) int maxConnections,
            @ForAll @IntRange(min = 0, max = 50) int superuserReserved,
            @ForAll @IntRange(min = 0, max = 50) int reservedConnections,
            @ForAll @IntRange(min = -1, max = 5_000) int roleLimit,
            @ForAll @IntRange(min = 0, max = 5_000) int heldByOthers,
            @ForAll boolean aurora,
            @ForAll @IntRange(min = 0, max = 2_000) int specReserved,
            @ForAll @IntRange(min = 0, max = 500) int desiredReplicas,
            @ForAll @IntRange(min = 0, max = 10) int surge,
            @ForAll @IntRange(min = 1, max = 100) int perPodMinimum,
            @ForAll @IntRange(min = 0, max = 400) int perPodExtra,
            @ForAll boolean override,
            @ForAll @IntRange(min = 1, max = 10_000) int overrideValue,
            @ForAll @IntRange(min = 1, max = 100) int floorPercent) {
        var limits = new DatabaseLimits(maxConnections, superuserReserved, reservedConnections, roleLimit, heldByOthers, aurora);
        var request = new BudgetRequest(limits, override ? overrideValue : null, specReserved, desiredReplicas, surge,
                perPodMinimum, perPodMinimum + perPodExtra, floorPercent);
        ConnectionBudget b = ConnectionBudgetCalculator.compute(request);

        int serverMax = override ? overrideValue : maxConnections;
        long hardCeiling = (long) serverMax - superuserReserved - reservedConnections - (aurora ? 3 : 0) - specReserved - 2 - heldByOthers;
        if (roleLimit >= 0) {
            hardCeiling = Math.min(hardCeiling, roleLimit - 2L);
        }
        assertTrue(b.allocatedTotal() <= Math.max(0, hardCeiling), () -> "over the database's limit: " + b);
        assertTrue(b.allocatedTotal() <= b.available(), () -> "over available: " + b);
        assertTrue((long) b.perPodFloor() * (b.maxReplicas() + b.maxSurge()) == b.allocatedTotal(), () -> "pods not all counted: " + b);
        assertTrue(b.maxReplicas() <= desiredReplicas, () -> "more replicas than asked: " + b);
        assertTrue(b.maxSurge() <= surge, () -> "more surge than asked: " + b);
        if (b.podsCounted() > 0) {
            assertTrue(b.perPodFloor() >= perPodMinimum && b.perPodFloor() <= perPodMinimum + perPodExtra,
                    () -> "per-pod floor outside its bounds: " + b);
            // the floor is the asked share of the even split, unless a bound moved it
            int share = (int) ((long) b.available() * floorPercent / 100 / b.podsCounted());
            assertTrue(b.perPodFloor() == share || b.perPodFloor() == perPodMinimum || b.perPodFloor() == perPodMinimum + perPodExtra,
                    () -> "floor " + b.perPodFloor() + " is not " + floorPercent + "% of the split (" + share + ") nor a bound: " + b);
            assertTrue(b.perPodFloor() <= Math.max(perPodMinimum, b.available() / b.podsCounted()),
                    () -> "floor above the even split: " + b);
        }
        if (!b.capped()) {
            assertTrue(b.maxReplicas() == desiredReplicas, () -> "replicas lowered without capping: " + b);
        } else {
            // capped only when the desired pods could not all have the minimum, and capping keeps as many as fit
            assertTrue((long) (desiredReplicas + surge) * perPodMinimum > b.available(), () -> "capped needlessly: " + b);
            assertTrue((long) (b.maxReplicas() + b.maxSurge() + 1) * perPodMinimum > b.available()
                    || b.maxReplicas() == desiredReplicas, () -> "capped too low: " + b);
        }
    }
}
