package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

/** PgBouncer's configuration and auth file (see {@link PoolerObjects#secret}). */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class PoolerSecretDependent extends PoolerDependent<Secret> {
    public PoolerSecretDependent() {
        super(Secret.class, FleetNames::poolerAuthSecret, (registry, context) -> PoolerObjects.secret(registry, RegistryPlan.of(context)));
    }
}
