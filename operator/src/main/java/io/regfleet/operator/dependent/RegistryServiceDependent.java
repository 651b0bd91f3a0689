package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

/** The registry API (http, 5000) and the management port (9000) scraped for metrics. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class RegistryServiceDependent extends FleetDependent<Service> implements Updater<Service, Registry> {
    public RegistryServiceDependent() {
        super(Service.class, (registry, context) -> FleetObjects.service(registry));
    }
}
