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
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Secrets a Registry names (database, its CA, S3 credentials, users, an OIDC issuer's keys, the TLS certificate)
 * and the operator's token key, whose content it checks. Watched so that a change re-reconciles, with a cache of
 * metadata only ({@link SecretMetadataStore}); their data is read from the API server once per reconciliation
 * ({@link #read}). Only those the pods read at start roll the pods when they change ({@link Reads#version}): the
 * others are mounted files the runtime re-reads.
 */
public final class ReferencedSecrets {
    public static final String EVENT_SOURCE = "referenced-secrets";
    /** Secrets per page of the watch's initial list: bounds the memory of listing a namespace with many large Secrets. */
    private static final long LIST_PAGE = 100;

    private ReferencedSecrets() {
    }

    public static Set<String> namesOf(Registry registry) {
        var spec = registry.getSpec();
        Set<String> names = new TreeSet<>(readAtStart(registry));
        Stream.of(spec.auth == null ? null : spec.auth.usersSecret,
                        spec.auth == null || spec.auth.oidc == null ? null : spec.auth.oidc.jwksSecret,
                        spec.auth == null ? null : FleetNames.tokenKeySecret(registry),
                        spec.tls == null ? null : FleetNames.tlsSecret(registry))
                .filter(n -> n != null && !n.isBlank())
                .forEach(names::add);
        return names;
    }

    /** The Secrets the pods read at start (as env, or the database's CA): a change must roll them. */
    static Set<String> readAtStart(Registry registry) {
        var spec = registry.getSpec();
        return Stream.of(spec.database == null ? null : spec.database.secretName,
                        spec.database == null ? null : spec.database.caSecret,
                        spec.storage == null || spec.storage.s3 == null ? null : spec.storage.s3.credentialsSecret)
                .filter(n -> n != null && !n.isBlank())
                .collect(Collectors.toSet());
    }

    public static InformerEventSource<Secret, Registry> eventSource(EventSourceContext<Registry> context) {
        var config = InformerEventSourceConfiguration.from(Secret.class, Registry.class)
                .withName(EVENT_SOURCE)
                .withNamespacesInheritedFromController()
                .withItemStore(new SecretMetadataStore())
                .withInformerListLimit(LIST_PAGE)
                .withSecondaryToPrimaryMapper((Secret secret) -> context.getPrimaryCache()
                        .list(secret.getMetadata().getNamespace())
                        .filter(r -> namesOf(r).contains(secret.getMetadata().getName()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(config, context);
    }

    /** The Secrets a Registry names, read from the API server now (absent ones as empty). */
    public static Reads read(Registry registry, Context<Registry> context) {
        String namespace = registry.getMetadata().getNamespace();
        Map<String, Optional<Secret>> secrets = new TreeMap<>();
        for (String name : namesOf(registry)) {
            secrets.put(name, Optional.ofNullable(context.getClient().secrets().inNamespace(namespace).withName(name).get()));
        }
        return new Reads(secrets, readAtStart(registry));
    }

    /** The referenced Secrets as one reconciliation read them; {@code rolling}: those whose change rolls the pods. */
    public record Reads(Map<String, Optional<Secret>> secrets, Set<String> rolling) {
        public Optional<Secret> get(String name) {
            return secrets.getOrDefault(name, Optional.empty());
        }

        /** Digest of the versions of the Secrets the pods read at start: a change must roll them. */
        public String version() {
            Map<String, String> versions = new TreeMap<>();
            secrets.forEach((name, secret) -> {
                if (rolling.contains(name)) {
                    versions.put(name, secret.map(s -> s.getMetadata().getResourceVersion()).orElse("absent"));
                }
            });
            return FleetNames.sha256(versions.toString()).substring(0, 16);
        }
    }
}
