package io.regfleet.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A new value of a Registry's regfleet.io/verify annotation asks for a verify Job ({@link VerifyRuns}). An annotation
 * changes no generation, and the controller skips such updates of its primary (generation-aware processing, which
 * keeps status patches from waking it): this second watch of the Registries passes on exactly those changes.
 */
final class VerifyRequests {
    static final String EVENT_SOURCE = "verify-requests";

    private VerifyRequests() {
    }

    static InformerEventSource<Registry, Registry> eventSource(EventSourceContext<Registry> context) {
        var config = InformerEventSourceConfiguration.from(Registry.class, Registry.class)
                .withName(EVENT_SOURCE)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper((Registry registry) -> Set.of(ResourceID.fromResource(registry)))
                .withOnAddFilter(registry -> false) // the controller's own watch handles new Registries
                .withOnUpdateFilter((now, before) -> !Objects.equals(requested(now), requested(before)))
                .withOnDeleteFilter((registry, unknownState) -> false)
                .build();
        return new InformerEventSource<>(config, context);
    }

    private static String requested(Registry registry) {
        Map<String, String> annotations = registry.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(FleetNames.VERIFY_ANNOTATION);
    }
}
