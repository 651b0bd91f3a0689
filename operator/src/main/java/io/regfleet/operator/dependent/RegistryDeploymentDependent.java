package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

/** The registry pods (see {@link RegistryDeployment}). */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class RegistryDeploymentDependent extends FleetDependent<Deployment> implements Updater<Deployment, Registry> {
    public RegistryDeploymentDependent() {
        super(Deployment.class, (registry, context) -> RegistryDeployment.build(registry, RegistryPlan.of(context)));
    }
}
