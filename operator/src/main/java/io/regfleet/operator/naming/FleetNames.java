package io.regfleet.operator.naming;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.Registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Names and labels of everything the operator creates for a Registry: one place for them. */
public final class FleetNames {
    public static final String MANAGED_BY = "regfleet-operator";
    public static final String MANAGED_BY_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;
    public static final String CONFIG_HASH_ANNOTATION = "regfleet.io/config-hash";
    public static final String IMAGE_ANNOTATION = "regfleet.io/image";
    public static final String BLOBS_DIR = "/var/lib/regfleet/blobs";

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

    public static String agentTokenSecret(Registry r) {
        return r.getMetadata().getName() + "-agent-token";
    }

    /** One Job per (image, database Secret): a new image or database migrates once, an unchanged one never again. */
    public static String migrationJob(Registry r) {
        String name = r.getMetadata().getName();
        String base = name.length() > 40 ? name.substring(0, 40) : name;
        return base + "-migrate-" + sha256(r.getSpec().image + "|" + r.getSpec().database.secretName).substring(0, 10);
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

    /** Metadata of an object the operator makes for the Registry: its name, the Registry's namespace, the labels. */
    public static ObjectMeta metadata(Registry r, String name, String component) {
        return new ObjectMetaBuilder().withName(name).withNamespace(r.getMetadata().getNamespace())
                .withLabels(labels(r, component)).build();
    }

    public static String endpoint(Registry r) {
        return service(r) + "." + r.getMetadata().getNamespace() + ".svc:" + PodContract.HTTP_PORT;
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
