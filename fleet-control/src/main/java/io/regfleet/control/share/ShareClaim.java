package io.regfleet.control.share;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.ConnectionBudgetCalculator;
import io.regfleet.control.plan.PlanRequest;

import java.util.Objects;

/**
 * What one Registry asks of the server it shares.
 *
 * @param registry        unique among the server's Registries ({@code namespace/name} in the operator)
 * @param applicationName the {@code <registry>} of its pods' application names {@code regfleet/<registry>/<pod>}
 * @param weight          its part of the server's guaranteed connections, relative to the others' weights
 * @param minimum         guaranteed connections it asks for at least (0: its weight decides)
 * @param rebalanced      a rebalancer shares its connections by demand; false: its pods keep the even split of
 *                        its guaranteed share and it gets no spare
 * @param plan            its own plan request: replicas, surge, per-pod bounds, floor percent, spec reserve
 */
public record ShareClaim(String registry, String applicationName, int weight, int minimum, boolean rebalanced,
                         PlanRequest plan) {
    public ShareClaim {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(applicationName, "applicationName");
        Objects.requireNonNull(plan, "plan");
        if (weight < 1 || minimum < 0) {
            throw new IllegalArgumentException("invalid claim of " + registry + ": weight " + weight + ", minimum " + minimum);
        }
    }

    /** Connections kept for it outside its pods: its spec's reserve, the operator's probe and its migration Job. */
    public int reserve() {
        return budget().specReserved() + ConnectionBudgetCalculator.OPERATOR_PROBE_CONNECTIONS
                + ConnectionBudgetCalculator.MIGRATION_JOB_CONNECTIONS;
    }

    /** Pods it asks for at once: replicas (or the autoscaler's maximum) plus the rollout surge. */
    public int pods() {
        return budget().desiredReplicas() == 0 ? 0 : budget().desiredReplicas() + budget().maxSurge();
    }

    /** The least it needs for every pod it asks for, at the per-pod minimum. */
    public int required() {
        return pods() * budget().perPodMinimum();
    }

    /** The most it can use: every pod at the per-pod maximum, within its role's connection limit. */
    public int ceiling() {
        long most = Math.min((long) pods() * budget().perPodMaximum(), roleRoom());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, most));
    }

    /** What its role's connection limit leaves its pods (its probe and migration Job use the role too); unbounded without one. */
    public long roleRoom() {
        int role = budget().limits().roleConnectionLimit();
        return role < 0 ? Long.MAX_VALUE : (long) role - ConnectionBudgetCalculator.OPERATOR_PROBE_CONNECTIONS
                - ConnectionBudgetCalculator.MIGRATION_JOB_CONNECTIONS;
    }

    /** The share of its weighted part it keeps as guaranteed: its floor percent, all of it without a rebalancer. */
    public int floorPercent() {
        return rebalanced ? budget().floorPercent() : 100;
    }

    private BudgetRequest budget() {
        return plan.budget();
    }
}
