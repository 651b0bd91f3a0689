package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.Registry;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The bearer token of the pod agent. Created once and never updated (the dependent is a Creator only), so the token
 * stays stable across reconciliations and operator restarts; it goes with the Registry through its owner reference.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class AgentTokenSecretDependent extends KubernetesDependentResource<Secret, Registry>
        implements Creator<Secret, Registry>, GarbageCollected<Registry> {
    public static final String NAME = "agent-token";
    private static final SecureRandom RANDOM = new SecureRandom();

    public AgentTokenSecretDependent() {
        super(Secret.class);
    }

    @Override
    protected Secret desired(Registry registry, Context<Registry> context) {
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        return new SecretBuilder()
                .withNewMetadata()
                .withName(FleetNames.agentTokenSecret(registry))
                .withNamespace(registry.getMetadata().getNamespace())
                .withLabels(FleetNames.labels(registry, "agent-token"))
                .endMetadata()
                .withType("Opaque")
                .withStringData(Map.of(PodContract.AGENT_TOKEN_KEY, HexFormat.of().formatHex(token)))
                .build();
    }
}
