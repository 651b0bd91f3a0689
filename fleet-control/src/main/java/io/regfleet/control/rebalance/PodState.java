package io.regfleet.control.rebalance;

/** How the rebalancer sees a pod this round. */
public enum PodState {
    /** Its agent answered; its allocation can change. */
    SERVING,
    /** Answered, but a shrink is not yet confirmed: counted at its old, larger maximum. */
    SHRINKING,
    /** Listed, but its agent did not answer: counted at its last known allocation, left alone. */
    SILENT,
    /** Being deleted: holds no slot, lowered to the floor, still counted. */
    TERMINATING,
    /** No longer listed: counted until its termination grace period has passed. */
    GONE
}
