package io.regfleet.registry.governance;

import com.netflix.concurrency.limits.limit.Gradient2Limit;

/**
 * The bulkhead admits what Netflix's Gradient2 finds the database serves without queueing: it compares the time work
 * holds its slot now (its wait for a connection included) with the long-run time and lowers the limit as the recent
 * one climbs, so load is shed before waits for the pool grow. Never above the operator's allocation, nor above what
 * the pool can serve plus {@code poolQueue} waiting for a connection: the gradient is bounded there too (a gradient
 * that may grow past what is ever admitted sees its work as light and never lowers), and started afresh from where
 * it was when the bound moves.
 */
public final class AdaptiveWorkerLimit implements WorkerLimit {
    private final DatabaseBulkhead bulkhead;
    private final int poolQueue;
    private int allocated;
    private int poolMax;
    private Gradient2Limit gradient;

    AdaptiveWorkerLimit(DatabaseBulkhead bulkhead, int allocated, int poolMax, int poolQueue) {
        this.bulkhead = bulkhead;
        this.poolQueue = poolQueue;
        this.allocated = allocated;
        this.poolMax = poolMax;
        this.gradient = gradient(bound());
        enforce();
    }

    @Override
    public synchronized void allocate(int workers, int poolMax) {
        int before = bound();
        this.allocated = workers;
        this.poolMax = poolMax;
        if (bound() != before) {
            gradient = gradient(Math.min(gradient.getLimit(), bound()));
        }
        enforce();
    }

    @Override
    public synchronized int allocated() {
        return allocated;
    }

    @Override
    public void workEnded(long startNanos, long heldNanos, int inFlight, boolean dropped) {
        Gradient2Limit current;
        synchronized (this) {
            current = gradient;
        }
        current.onSample(startNanos, heldNanos, inFlight, dropped);
    }

    /** What the gradient finds now. */
    public synchronized int found() {
        return gradient.getLimit();
    }

    /** The most it may admit: the allocation, and the pool plus its short queue. */
    public synchronized int bound() {
        return Math.max(1, Math.min(allocated, poolMax + poolQueue));
    }

    private Gradient2Limit gradient(int initial) {
        Gradient2Limit limit = Gradient2Limit.newBuilder()
                .initialLimit(Math.max(1, initial))
                .minLimit(1)
                .maxConcurrency(bound())
                .queueSize(poolQueue)
                .build();
        limit.notifyOnChange(found -> enforce());
        return limit;
    }

    private synchronized void enforce() {
        bulkhead.setLimit(Math.min(gradient == null ? bound() : gradient.getLimit(), bound()));
    }
}
