package io.regfleet.registry.governance;

/**
 * How the bulkhead's limit follows the operator's worker allocation: fixed at it ({@link FixedWorkerLimit}), or
 * found below it from how long work takes ({@link AdaptiveWorkerLimit}). The allocation stays what the pod agent
 * reports, whichever applies.
 */
public sealed interface WorkerLimit permits FixedWorkerLimit, AdaptiveWorkerLimit {
    /** The operator's allocation (never exceeded) and the pool maximum it comes with. */
    void allocate(int workers, int poolMax);

    /** The allocation in force. */
    int allocated();

    /**
     * A unit of work gave its slot back.
     *
     * @param heldNanos how long it held the slot (its wait for a connection included)
     * @param inFlight  work in flight when it was admitted
     * @param dropped   it got no connection in time
     */
    void workEnded(long startNanos, long heldNanos, int inFlight, boolean dropped);
}
