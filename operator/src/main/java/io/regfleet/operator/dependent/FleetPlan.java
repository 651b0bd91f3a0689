package io.regfleet.operator.dependent;

import io.regfleet.control.budget.ConnectionBudget;

/**
 * Everything the dependents need besides the Registry itself, computed once per reconciliation before the workflow
 * runs, so that every desired() is a pure function of (Registry, FleetPlan).
 *
 * @param budget                the connection budget
 * @param workersLimit          each pod's starting worker limit
 * @param autoscaled            an autoscaler owns the replica count
 * @param hpaMinReplicas        the autoscaler's minimum, capped by the budget
 * @param secretsVersion        digest of the referenced Secrets' versions: a change rolls the pods
 * @param migrationBackoffLimit retries of the migration Job
 */
public record FleetPlan(ConnectionBudget budget, int workersLimit, boolean autoscaled, int hpaMinReplicas,
                        String secretsVersion, int migrationBackoffLimit) {
    public static final String CONTEXT_KEY = FleetPlan.class.getName();

    public int poolMaxSize() {
        return budget.perPodFloor();
    }

    /** Replicas (or the autoscaler's maximum) allowed by the budget. */
    public int maxReplicas() {
        return budget.maxReplicas();
    }

    public int maxSurge() {
        return budget.maxSurge();
    }
}
