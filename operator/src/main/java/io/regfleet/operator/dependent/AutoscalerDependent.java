package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

/** CPU autoscaling of the registry Deployment; its maximum is the budget's, never more than the spec's. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class AutoscalerDependent extends FleetDependent<HorizontalPodAutoscaler> implements Updater<HorizontalPodAutoscaler, Registry> {
    public AutoscalerDependent() {
        super(HorizontalPodAutoscaler.class, (registry, context) -> FleetObjects.autoscaler(registry, RegistryPlan.of(context)));
    }

    /** By name alone: the autoscaler is deleted once spec.autoscaling is gone, when no desired one can be built. */
    @Override
    protected ResourceID targetSecondaryResourceID(Registry registry, Context<Registry> context) {
        return new ResourceID(FleetNames.deployment(registry), registry.getMetadata().getNamespace());
    }
}
