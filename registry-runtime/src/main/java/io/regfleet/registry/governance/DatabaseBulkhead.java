package io.regfleet.registry.governance;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits database work running at once in this pod, with a short bounded queue: past it, work is shed (503)
 * instead of piling up threads. The limit changes live; lowering it lets running work finish.
 */
public final class DatabaseBulkhead {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private final int queueCapacity;
    private final long queueTimeoutNanos;
    private final AtomicLong shed = new AtomicLong();
    private int limit;
    private int inFlight;
    private int waiting;

    public DatabaseBulkhead(int limit, int queueCapacity, long queueTimeoutNanos) {
        this.limit = Math.max(1, limit);
        this.queueCapacity = queueCapacity;
        this.queueTimeoutNanos = queueTimeoutNanos;
    }

    /** True when the caller may run (and must {@link #release()}); false when it was shed. */
    public boolean tryAcquire() {
        lock.lock();
        try {
            if (inFlight < limit) {
                inFlight++;
                return true;
            }
            if (waiting >= queueCapacity) {
                shed.incrementAndGet();
                return false;
            }
            waiting++;
            try {
                long remaining = queueTimeoutNanos;
                while (inFlight >= limit) {
                    if (remaining <= 0) {
                        shed.incrementAndGet();
                        return false;
                    }
                    remaining = freed.awaitNanos(remaining);
                }
                inFlight++;
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                shed.incrementAndGet();
                return false;
            } finally {
                waiting--;
            }
        } finally {
            lock.unlock();
        }
    }

    public void release() {
        lock.lock();
        try {
            inFlight--;
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Lowering the limit lets running work finish; waiting work is admitted as it drops below. */
    public void setLimit(int newLimit) {
        lock.lock();
        try {
            limit = Math.max(1, newLimit);
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int limit() {
        return figures().limit();
    }

    /** The bulkhead now, read together. */
    public Figures figures() {
        lock.lock();
        try {
            return new Figures(limit, inFlight, waiting, shed.get());
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param waiting   work queued for a slot
     * @param shedTotal work shed since the start
     */
    public record Figures(int limit, int inFlight, int waiting, long shedTotal) {
    }
}
