package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;

/** Reconcile precondition: the NetworkPolicy exists unless spec.networkPolicy.enabled is false (then it is deleted). */
public class NetworkPolicyEnabled implements Condition<NetworkPolicy, Registry> {
    @Override
    public boolean isMet(DependentResource<NetworkPolicy, Registry> dependent, Registry registry, Context<Registry> context) {
        return registry.getSpec().networkPolicyOrDefault().active();
    }
}
