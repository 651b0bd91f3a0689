package io.regfleet.registry.tools;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces items out to at most {@code perSecond} across all threads (0: no limit), so a whole-store walk can run beside
 * live traffic without taking the database's or the blob store's full attention.
 */
public final class Pacer {
    private final long intervalNanos;
    private long nextSlot = System.nanoTime();

    public Pacer(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
    }

    /** Waits for this item's slot. */
    public void acquire() {
        if (intervalNanos == 0) {
            return;
        }
        long slot;
        synchronized (this) {
            slot = Math.max(nextSlot, System.nanoTime());
            nextSlot = slot + intervalNanos;
        }
        for (long wait; (wait = slot - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
        }
    }
}
