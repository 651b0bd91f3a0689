package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;

/** Reconcile precondition of PgBouncer's objects: they exist while spec.database.pooler is set, and are deleted after. */
public class PoolerEnabled implements Condition<HasMetadata, Registry> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, Registry> dependent, Registry registry, Context<Registry> context) {
        return registry.getSpec().database.pooler != null;
    }
}
