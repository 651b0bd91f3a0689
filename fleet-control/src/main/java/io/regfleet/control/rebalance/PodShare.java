package io.regfleet.control.rebalance;

/**
 * One pod as the pool policy sees it.
 *
 * @param name       the pod
 * @param adjustable its agent answered this round, so its allocation can change
 * @param holdsSlot  it is one of the pods the budget counts in slots (not terminating, not gone)
 * @param applied    the pool maximum the pod runs with now
 * @param counted    connections counted for it now: the larger of its applied maximum, its open connections and
 *                   any change in flight; for a pod that did not answer, its last known allocation
 * @param demand     smoothed connections it wants (see {@link DemandEstimator})
 */
public record PodShare(String name, boolean adjustable, boolean holdsSlot, int applied, int counted, double demand) {
}
