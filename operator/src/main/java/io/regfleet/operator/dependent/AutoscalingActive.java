package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.plan.RegistryPlan;

/**
 * Reconcile precondition: the autoscaler exists when the spec asks for one and the budget fits at least one pod (an
 * HPA cannot scale to 0); otherwise it is deleted, so that it no longer owns the replica count.
 */
public class AutoscalingActive implements Condition<HorizontalPodAutoscaler, Registry> {
    @Override
    public boolean isMet(DependentResource<HorizontalPodAutoscaler, Registry> dependent, Registry registry, Context<Registry> context) {
        return registry.getSpec().autoscaling != null
                && context.managedWorkflowAndDependentResourceContext().get(RegistryPlan.CONTEXT_KEY, RegistryPlan.class)
                .map(plan -> plan.fleet().budget().maxReplicas() >= 1).orElse(false);
    }
}
