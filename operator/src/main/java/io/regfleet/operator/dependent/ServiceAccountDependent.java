package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

/** The registry pods' own identity, annotated from the spec for a cloud identity (IRSA, workload identity). */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class ServiceAccountDependent extends FleetDependent<ServiceAccount> implements Updater<ServiceAccount, Registry> {
    public ServiceAccountDependent() {
        super(ServiceAccount.class, (registry, context) -> FleetObjects.serviceAccount(registry));
    }
}
