package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.naming.FleetNames;

/** Where the registry pods connect behind PgBouncer (see {@link PoolerObjects#service}). */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class PoolerServiceDependent extends PoolerDependent<Service> {
    public PoolerServiceDependent() {
        super(Service.class, FleetNames::pooler, (registry, context) -> PoolerObjects.service(registry));
    }
}
