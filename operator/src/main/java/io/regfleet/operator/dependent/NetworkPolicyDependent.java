package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

/** Who may reach the registry pods (see {@link FleetObjects#networkPolicy}); only while spec.networkPolicy.enabled. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class NetworkPolicyDependent extends FleetDependent<NetworkPolicy> implements Updater<NetworkPolicy, Registry> {
    public NetworkPolicyDependent() {
        super(NetworkPolicy.class, (registry, context) -> FleetObjects.networkPolicy(registry, RegistryPlan.of(context)));
    }
}
