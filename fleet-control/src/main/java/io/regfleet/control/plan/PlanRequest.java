package io.regfleet.control.plan;

import io.regfleet.control.budget.BudgetRequest;

import java.util.OptionalInt;

/**
 * What a fleet asks of its plan: the budget request (the live database's limits and what the spec or the local fleet
 * asks) and the bounds of its pods' worker limits.
 *
 * @param budget               the database's limits, replicas, surge, per-pod pool bounds and floor share
 * @param workersMinimum       fewest workers a pod may be given
 * @param workersMaximum       most workers a pod may be given
 * @param workersPerConnection a pod starts with this many workers per connection of its floor, within the bounds
 * @param autoscalerMinimum    the autoscaler's minimum replicas; empty when no autoscaler owns the replica count
 */
public record PlanRequest(BudgetRequest budget, int workersMinimum, int workersMaximum, int workersPerConnection,
                          OptionalInt autoscalerMinimum) {
    /** Workers per connection of the floor, unless a fleet says otherwise. */
    public static final int DEFAULT_WORKERS_PER_CONNECTION = 4;

    public PlanRequest {
        if (workersMinimum < 1 || workersMaximum < workersMinimum || workersPerConnection < 1) {
            throw new IllegalArgumentException("invalid plan request: workers " + workersMinimum + ".." + workersMaximum
                    + ", " + workersPerConnection + " per connection");
        }
    }
}
