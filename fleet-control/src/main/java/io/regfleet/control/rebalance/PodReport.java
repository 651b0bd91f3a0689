package io.regfleet.control.rebalance;

/**
 * One pod after a round.
 *
 * @param poolMax  the pool maximum it runs with (as last reported or applied)
 * @param previousPoolMax the pool maximum it ran with when the round began (after its agent answered), so a listener
 *                 can tell what changed even for a pod it sees for the first time
 * @param counted  what the budget counts for it
 * @param demand   smoothed connections it wants, NaN when unknown
 */
public record PodReport(String name, PodState state, int poolMax, int previousPoolMax, int counted, int workers, int open, int active,
                        double demand, double requestsPerSecond) {
}
