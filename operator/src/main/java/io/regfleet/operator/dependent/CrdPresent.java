package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;

/** Activation condition: the dependent (and its informer) exist only where a CRD is installed. */
abstract class CrdPresent<R extends HasMetadata> implements Condition<R, Registry> {
    private final String crd;

    CrdPresent(String crd) {
        this.crd = crd;
    }

    @Override
    public boolean isMet(DependentResource<R, Registry> dependent, Registry registry, Context<Registry> context) {
        return context.getClient().apiextensions().v1().customResourceDefinitions().withName(crd).get() != null;
    }
}
