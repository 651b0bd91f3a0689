package io.regfleet.control.rebalance;

import io.regfleet.fleet.PodUsage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkerPolicyTest {
    private static final FleetLimits LIMITS = new FleetLimits(40, 4, 2, 20, 4, 64);

    static PodUsage usage(double cpu, int queued, double workP99) {
        return new PodUsage(1, 8, 8, 8, 0, 0, 8, 8, 10, 0, 0, 0, 0, 16, 16, 100, cpu, 2, queued, workP99);
    }

    @Test
    void raisesWhenWorkWaitsAndCpuIsSpare() {
        assertEquals(24, WorkerPolicy.next(LIMITS, 16, 8, usage(0.4, 5, 3), 0, 3).workers());
        assertEquals(24, WorkerPolicy.next(LIMITS, 16, 8, usage(0.4, 0, 3), 7, 3).workers(), "shed since the last round");
    }

    @Test
    void lowersWhenCpuIsSaturatedEvenWithWaiters() {
        assertEquals(12, WorkerPolicy.next(LIMITS, 16, 8, usage(1.9, 5, 3), 0, 3).workers());
    }

    @Test
    void lowersWhenDatabaseWorkLatencyClimbs() {
        WorkerPolicy.Decision d = WorkerPolicy.next(LIMITS, 32, 8, usage(0.4, 5, 30), 0, 6);
        assertEquals(24, d.workers());
        assertEquals(6, d.baselineP99Ms(), 1e-9, "the baseline does not follow a climb");
    }

    @Test
    void staysWithinBoundsAndNotBelowThePool() {
        assertEquals(12, WorkerPolicy.next(LIMITS, 12, 12, usage(1.9, 0, 1), 0, 1).workers(), "never below the pool maximum");
        assertEquals(64, WorkerPolicy.next(LIMITS, 60, 8, usage(0.1, 9, 1), 0, 1).workers(), "never above the maximum");
        assertEquals(4, WorkerPolicy.next(LIMITS, 4, 2, usage(1.9, 0, 1), 0, 1).workers(), "never below the minimum");
        assertEquals(16, WorkerPolicy.next(LIMITS, 16, 8, usage(0.4, 0, 1), 0, 1).workers(), "calm: unchanged");
    }
}
