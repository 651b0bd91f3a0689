package io.regfleet.registry.governance;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections lent out for database work right now, their level over the usage window (peak, mean) and when
 * one was last returned: the usage report and the idle sweep read it, the leases write it. Callers pass the clock.
 */
public final class ConnectionActivity {
    private final AtomicInteger lent = new AtomicInteger();
    private final SlidingWindow level;
    private volatile long lastReturnNanos;

    ConnectionActivity(int windowSeconds, long nowNanos) {
        level = new SlidingWindow(windowSeconds, nowNanos);
        lastReturnNanos = nowNanos;
    }

    void lent(long nowNanos) {
        level.level(lent.incrementAndGet(), nowNanos);
    }

    void returned(long nowNanos) {
        level.level(lent.decrementAndGet(), nowNanos);
        lastReturnNanos = nowNanos;
    }

    /** Connections lent out now. */
    public int inUse() {
        return lent.get();
    }

    /** True when nothing is lent out and nothing was returned for {@code quietNanos}. */
    boolean quietFor(long quietNanos, long nowNanos) {
        return lent.get() == 0 && nowNanos - lastReturnNanos >= quietNanos;
    }

    SlidingWindow.Snapshot window(long nowNanos) {
        return level.snapshot(nowNanos);
    }
}
