package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The user's Secrets a Registry names (database, S3 credentials): watched, so that a change re-reconciles. */
public final class ReferencedSecrets {
    public static final String EVENT_SOURCE = "referenced-secrets";

    private ReferencedSecrets() {
    }

    public static Set<String> namesOf(Registry registry) {
        var spec = registry.getSpec();
        return Stream.of(spec.database == null ? null : spec.database.secretName,
                        spec.storage == null || spec.storage.s3 == null ? null : spec.storage.s3.credentialsSecret)
                .filter(n -> n != null && !n.isBlank())
                .collect(Collectors.toSet());
    }

    public static InformerEventSource<Secret, Registry> eventSource(EventSourceContext<Registry> context) {
        var config = InformerEventSourceConfiguration.from(Secret.class, Registry.class)
                .withName(EVENT_SOURCE)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper((Secret secret) -> context.getPrimaryCache()
                        .list(secret.getMetadata().getNamespace())
                        .filter(r -> namesOf(r).contains(secret.getMetadata().getName()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(config, context);
    }

    @SuppressWarnings("unchecked")
    public static Optional<Secret> get(Context<Registry> context, String namespace, String name) {
        var source = (InformerEventSource<Secret, Registry>) context.eventSourceRetriever()
                .getEventSourceFor(Secret.class, EVENT_SOURCE);
        return source.get(new ResourceID(name, namespace));
    }

    /** Digest of the referenced Secrets' versions: the pods read them as env at start, so a change must roll them. */
    public static String version(Registry registry, Context<Registry> context) {
        Map<String, String> versions = new TreeMap<>();
        for (String name : namesOf(registry)) {
            versions.put(name, get(context, registry.getMetadata().getNamespace(), name)
                    .map(s -> s.getMetadata().getResourceVersion()).orElse("absent"));
        }
        return FleetNames.sha256(versions.toString()).substring(0, 16);
    }
}
