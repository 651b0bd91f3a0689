package io.regfleet.operator.naming;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.Registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Names and labels of everything the operator creates for a Registry: one place for them. */
public final class FleetNames {
    public static final String MANAGED_BY = "regfleet-operator";
    public static final String MANAGED_BY_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;
    public static final String CONFIG_HASH_ANNOTATION = "regfleet.io/config-hash";
    public static final String IMAGE_ANNOTATION = "regfleet.io/image";
    /** On a Registry: any new value asks for a verify Job; with {@link #VERIFY_DEEP_ANNOTATION} "true" it re-hashes every blob. */
    public static final String VERIFY_ANNOTATION = "regfleet.io/verify";
    public static final String VERIFY_DEEP_ANNOTATION = "regfleet.io/verify-deep";
    public static final String BLOBS_DIR = "/var/lib/regfleet/blobs";
    /** The operator's own pods carry this label (config/manager and the OLM bundle's Deployment alike). */
    public static final Map<String, String> OPERATOR_POD_LABELS = Map.of("app.kubernetes.io/name", "regfleet-operator");
    /** The label Kubernetes gives every namespace (1.22+): selects the operator's namespace in a NetworkPolicy. */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private FleetNames() {
    }

    public static String deployment(Registry r) {
        return r.getMetadata().getName();
    }

    public static String service(Registry r) {
        return r.getMetadata().getName();
    }

    public static String runtimeConfigMap(Registry r) {
        return r.getMetadata().getName() + "-runtime";
    }

    /** The PrometheusRule with the Registry's alerts. */
    public static String alertsRule(Registry r) {
        return r.getMetadata().getName() + "-alerts";
    }

    /** The ConfigMap with the Registry's Grafana dashboard. */
    public static String dashboardConfigMap(Registry r) {
        return r.getMetadata().getName() + "-dashboard";
    }

    public static String agentTokenSecret(Registry r) {
        return r.getMetadata().getName() + "-agent-token";
    }

    /** The token signing key (and the keys that verify tokens) of a Registry with spec.auth: kept by the operator. */
    public static String tokenKeySecret(Registry r) {
        return r.getMetadata().getName() + "-token-key";
    }

    /** The rules files of the pods: access rules, retention and immutable tags. */
    public static String rulesConfigMap(Registry r) {
        return r.getMetadata().getName() + "-rules";
    }

    /** The registry API's certificate Secret: spec.tls.secretName, else (cert-manager writes it) {@code <registry>-tls}. */
    public static String tlsSecret(Registry r) {
        var tls = r.getSpec().tls;
        return tls != null && tls.secretName != null && !tls.secretName.isBlank() ? tls.secretName : r.getMetadata().getName() + "-tls";
    }

    /** The cert-manager Certificate of a Registry with spec.tls.issuerRef. */
    public static String certificate(Registry r) {
        return r.getMetadata().getName();
    }

    /** A verify Job, named by what asked for it (a migration Job's name, or the verify annotation's value). */
    public static String verifyJob(Registry r, String trigger) {
        return prefix(r) + "-verify-" + sha256(trigger).substring(0, 10);
    }

    /** The registry pods' own ServiceAccount (and the migration Job's). */
    public static String serviceAccount(Registry r) {
        return r.getMetadata().getName();
    }

    public static String networkPolicy(Registry r) {
        return r.getMetadata().getName();
    }

    /**
     * The migration Jobs of one (image, database Secret): a new image or database migrates once, an unchanged one never
     * again. The first attempt is named {@code <registry>-migrate-<hash>}, later ones after a failure get {@code -<n>}.
     */
    public static String migrationJob(Registry r, String image, int attempt) {
        String base = migrationJobBase(r, image);
        return attempt <= 1 ? base : base + "-" + attempt;
    }

    /** The name every attempt of one (image, database Secret) starts with. */
    public static String migrationJobBase(Registry r, String image) {
        return prefix(r) + "-migrate-" + sha256(image + "|" + r.getSpec().database.secretName).substring(0, 10);
    }

    /** The Registry's name cut to leave room for a Job name's suffix (and the pods' -xxxxx) within 63 characters. */
    private static String prefix(Registry r) {
        String name = r.getMetadata().getName();
        return name.length() > 40 ? name.substring(0, 40) : name;
    }

    public static Map<String, String> selectorLabels(Registry r) {
        return Map.of("app.kubernetes.io/name", "regfleet-registry",
                "app.kubernetes.io/instance", r.getMetadata().getName());
    }

    public static Map<String, String> labels(Registry r, String component) {
        Map<String, String> labels = new TreeMap<>(selectorLabels(r));
        labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
        labels.put("app.kubernetes.io/component", component);
        return labels;
    }

    /**
     * Labels of a Job's pod (migration, verify): the Registry's instance and the component, but not the registry
     * pods' selector, so the Service, the PodDisruptionBudget and the rebalancer never take a Job's pod for a registry
     * pod.
     */
    public static Map<String, String> jobPodLabels(Registry r, String component) {
        Map<String, String> labels = new TreeMap<>(labels(r, component));
        labels.put("app.kubernetes.io/name", "regfleet-job");
        return labels;
    }

    /** Metadata of an object the operator makes for the Registry: its name, the Registry's namespace, the labels. */
    public static ObjectMeta metadata(Registry r, String name, String component) {
        return new ObjectMetaBuilder().withName(name).withNamespace(r.getMetadata().getNamespace())
                .withLabels(labels(r, component)).build();
    }

    /** The names the Service answers to in the cluster: the certificate's DNS names. */
    public static List<String> serviceDnsNames(Registry r) {
        String service = service(r);
        String namespace = r.getMetadata().getNamespace();
        return List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
                service + "." + namespace + ".svc.cluster.local");
    }

    public static String endpoint(Registry r) {
        return service(r) + "." + r.getMetadata().getNamespace() + ".svc:" + PodContract.HTTP_PORT;
    }

    /** How the operator keys a Registry ({@code namespace/name}): its rebalancer and its share of a server. */
    public static String key(Registry r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }

    /** PgBouncer's Deployment, Service and ConfigMap (spec.database.pooler). */
    public static String pooler(Registry r) {
        return r.getMetadata().getName() + "-pooler";
    }

    /** PgBouncer's auth file, made from the database Secret. */
    public static String poolerAuthSecret(Registry r) {
        return r.getMetadata().getName() + "-pooler-auth";
    }

    /** PgBouncer's pods: never the registry pods' labels, so neither their Service nor the rebalancer selects them. */
    public static Map<String, String> poolerSelectorLabels(Registry r) {
        return Map.of("app.kubernetes.io/name", "regfleet-pooler", "app.kubernetes.io/instance", r.getMetadata().getName());
    }

    /** An enum constant as status and events spell it: CamelCase, like condition reasons ({@code NO_ROOM}: NoRoom). */
    public static String camelCase(Enum<?> value) {
        StringBuilder b = new StringBuilder();
        for (String word : value.name().toLowerCase(java.util.Locale.ROOT).split("_")) {
            b.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return b.toString();
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
