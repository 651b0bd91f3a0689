package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One of PgBouncer's objects (spec.database.pooler), all named {@link FleetNames#pooler}'s way: found by that name
 * among the Registry's objects of its kind, since without a pooler there is no desired state to name it (it is then
 * deleted, see {@link PoolerEnabled}).
 */
abstract class PoolerDependent<R extends HasMetadata> extends FleetDependent<R> implements Updater<R, Registry> {
    private final Function<Registry, String> name;

    PoolerDependent(Class<R> type, Function<Registry, String> name,
                    BiFunction<Registry, Context<Registry>, R> desired) {
        super(type, desired);
        this.name = name;
    }

    @Override
    protected ResourceID targetSecondaryResourceID(Registry registry, Context<Registry> context) {
        return new ResourceID(name.apply(registry), registry.getMetadata().getNamespace());
    }
}
