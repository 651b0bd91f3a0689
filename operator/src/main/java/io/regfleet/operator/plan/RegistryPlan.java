package io.regfleet.operator.plan;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.control.plan.FleetPlan;
import io.regfleet.operator.api.v1alpha1.Registry;

/**
 * Everything the dependents need besides the Registry itself, computed once per reconciliation before the workflow
 * runs, so that every desired() is a pure function of (Registry, RegistryPlan).
 *
 * @param fleet                 the fleet's plan: budget, rebalancer limits, starting pool and workers, autoscaler minimum
 * @param secretsVersion        digest of the referenced Secrets' versions: a change rolls the pods
 * @param migrationBackoffLimit retries of the migration Job
 */
public record RegistryPlan(FleetPlan fleet, String secretsVersion, int migrationBackoffLimit) {
    public static final String CONTEXT_KEY = RegistryPlan.class.getName();
    /** Time a registry pod gets to drain on deletion; the rebalancer counts a vanished pod a little longer. */
    public static final long TERMINATION_GRACE_SECONDS = 30;

    /** The plan the reconciler put in the workflow's context. */
    public static RegistryPlan of(Context<Registry> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(CONTEXT_KEY, RegistryPlan.class);
    }
}
