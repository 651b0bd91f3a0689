package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

/** PgBouncer's pods (see {@link PoolerObjects#deployment}). */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class PoolerDeploymentDependent extends PoolerDependent<Deployment> {
    public PoolerDeploymentDependent() {
        super(Deployment.class, FleetNames::pooler, (registry, context) -> PoolerObjects.deployment(registry, RegistryPlan.of(context)));
    }
}
