package io.regfleet.control.rebalance;

/**
 * One pod after a round.
 *
 * @param poolMax  the pool maximum it runs with (as last reported or applied)
 * @param counted  what the budget counts for it
 * @param demand   smoothed connections it wants, NaN when unknown
 */
public record PodReport(String name, PodState state, int poolMax, int counted, int workers, int open, int active,
                        double demand, double requestsPerSecond) {
}
