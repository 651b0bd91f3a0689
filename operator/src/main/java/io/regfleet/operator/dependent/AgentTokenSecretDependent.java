package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.naming.FleetNames;

/**
 * The bearer token of the pod agent. Created once and never updated, so the token stays stable across
 * reconciliations and operator restarts; it goes with the Registry through its owner reference.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class AgentTokenSecretDependent extends FleetDependent<Secret> {
    public AgentTokenSecretDependent() {
        super(Secret.class, (registry, context) -> FleetObjects.agentTokenSecret(registry));
    }
}
