package io.regfleet.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a Registry start a reconciliation: a new generation (its spec), a new value of the
 * regfleet.io/verify annotation (a verify Job asked for: an annotation changes no generation), its deletion or its
 * finalizers. Status writes, ours and the rebalancer's, start none. One watch decides it all: a second watch of the
 * Registries for the annotation raced the controller's own, whose cache could still hold the Registry without it
 * when the reconciliation ran, and the request waited for the next recheck.
 */
public final class RegistryChanges implements OnUpdateFilter<Registry> {

    @Override
    public boolean accept(Registry now, Registry before) {
        return generation(now) > generation(before)
                || !Objects.equals(verifyRequested(now), verifyRequested(before))
                || now.isMarkedForDeletion() && !before.isMarkedForDeletion()
                || !Objects.equals(now.getMetadata().getFinalizers(), before.getMetadata().getFinalizers());
    }

    private static long generation(Registry registry) {
        Long generation = registry.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    static String verifyRequested(Registry registry) {
        Map<String, String> annotations = registry.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(FleetNames.VERIFY_ANNOTATION);
    }
}
