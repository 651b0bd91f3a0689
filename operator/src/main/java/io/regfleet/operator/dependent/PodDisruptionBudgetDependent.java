package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

/** At most one registry pod voluntarily disrupted at a time (drains, node upgrades). */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class PodDisruptionBudgetDependent extends FleetDependent<PodDisruptionBudget> implements Updater<PodDisruptionBudget, Registry> {
    public PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class, (registry, context) -> FleetObjects.podDisruptionBudget(registry));
    }
}
