package io.regfleet.control.rebalance;

import io.regfleet.fleet.PodUsage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemandEstimatorTest {
    static PodUsage usage(int poolMax, int awaiting, int peak, double mean, long timeouts) {
        return new PodUsage(1, poolMax, peak, 0, 0, awaiting, peak, mean, 10, 0, 0, timeouts, 0, 8, 0, 0, 0.2, 2, 0, 1);
    }

    @Test
    void aSatisfiedPodAsksForItsUseWithHeadroom() {
        assertEquals(5.0, DemandEstimator.raw(usage(10, 0, 4, 4, 0), null), 1e-9);
        assertEquals(6.0, DemandEstimator.raw(usage(10, 0, 8, 2, 0), null), 1e-9, "a burst counts at three quarters");
    }

    @Test
    void aStarvedPodAsksForMoreThanItsCap() {
        assertEquals(4 * 1.5 + 3, DemandEstimator.raw(usage(4, 3, 4, 3.9, 0), null), 1e-9);
        PodUsage before = usage(4, 0, 2, 1, 10);
        assertEquals(6.0, DemandEstimator.raw(usage(4, 0, 2, 1, 12), before), 1e-9, "new acquisition timeouts");
        assertTrue(DemandEstimator.raw(usage(4, 0, 2, 1, 10), before) < 4, "old timeouts do not count again");
    }

    @Test
    void smoothingRisesFasterThanItFalls() {
        double up = DemandEstimator.smooth(2, 12);
        double down = DemandEstimator.smooth(12, 2);
        assertTrue(up - 2 > 12 - down, up + " vs " + down);
        assertEquals(7.0, DemandEstimator.smooth(Double.NaN, 7), 1e-9);
    }
}
