package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.regfleet.operator.api.v1alpha1.Registry;

import java.util.function.BiFunction;

/**
 * An object the operator makes for a Registry: created, deleted with the Registry through its owner reference, and
 * kept as wanted when the subclass is also an {@link io.javaoperatorsdk.operator.processing.dependent.Updater} (a
 * token or a Job is only ever created). Its desired state is a pure function of the Registry and what the reconciler
 * put in the workflow's context (the plan); the subclass names it and configures its informer.
 */
public abstract class FleetDependent<R extends HasMetadata> extends KubernetesDependentResource<R, Registry>
        implements Creator<R, Registry>, GarbageCollected<Registry> {
    private final BiFunction<Registry, Context<Registry>, R> desired;

    protected FleetDependent(Class<R> type, BiFunction<Registry, Context<Registry>, R> desired) {
        super(type);
        this.desired = desired;
    }

    @Override
    protected R desired(Registry registry, Context<Registry> context) {
        return desired.apply(registry, context);
    }
}
