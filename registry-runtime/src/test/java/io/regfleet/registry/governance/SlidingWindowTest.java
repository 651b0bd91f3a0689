package io.regfleet.registry.governance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SlidingWindowTest {
    private static final long S = 1_000_000_000L;
    private final long t0 = 100 * S;
    private final SlidingWindow w = new SlidingWindow(10, t0); // a fresh 10 s window for each test

    @Test
    void peakAndTimeWeightedMeanOverTheWindow() {
        w.level(4, t0);            // 4 in use for 5 s
        w.level(0, t0 + 5 * S);    // then none for 5 s
        SlidingWindow.Snapshot s = w.snapshot(t0 + 10 * S);
        assertEquals(4, s.peak());
        assertEquals(2.0, s.mean(), 0.05);
    }

    @Test
    void oldActivityLeavesTheWindow() {
        w.level(8, t0);
        w.level(1, t0 + S);
        SlidingWindow.Snapshot later = w.snapshot(t0 + 30 * S);
        assertEquals(1, later.peak());
        assertEquals(1.0, later.mean(), 0.01);
    }

    @Test
    void shortSpikesCountInThePeak() {
        w.level(6, t0 + 2 * S);
        w.level(0, t0 + 2 * S + 1_000_000); // 1 ms
        SlidingWindow.Snapshot s = w.snapshot(t0 + 5 * S);
        assertEquals(6, s.peak());
        assertEquals(0.0006, s.mean(), 0.0001);
    }

    @Test
    void eventsGiveARate() {
        for (int i = 0; i < 50; i++) {
            w.event(t0 + i * (S / 10)); // 10 per second for 5 s
        }
        assertEquals(5.0, w.snapshot(t0 + 9 * S).eventsPerSecond(), 0.01);
    }
}
