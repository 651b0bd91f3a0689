package io.regfleet.operator.dependent;

import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.api.v1alpha1.GarbageCollectionSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.api.v1alpha1.S3StorageSpec;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The runtime's non-secret settings (its container contract), held in the runtime ConfigMap. */
public final class RuntimeSettings {
    private RuntimeSettings() {
    }

    public static Map<String, String> of(Registry registry) {
        RegistrySpec spec = registry.getSpec();
        Map<String, String> env = new TreeMap<>();
        put(env, PodSetting.REGISTRY_NAME, registry.getMetadata().getName());
        put(env, PodSetting.DB_SSLMODE, spec.database.sslMode.value());
        if (RegistryPods.hasDatabaseCa(registry)) {
            put(env, PodSetting.DB_SSLROOTCERT, PodContract.DB_CA_FILE);
        }
        // the server reaps what a stopped pod (SIGSTOP, a partition) leaves: its idle sessions, its open transactions
        putSeconds(env, PodSetting.POOL_IDLE_SESSION_TIMEOUT, spec.database.idleSessionTimeoutSeconds);
        putSeconds(env, PodSetting.POOL_IDLE_IN_TRANSACTION_TIMEOUT, spec.database.idleInTransactionTimeoutSeconds);
        put(env, PodSetting.READ_ONLY, Boolean.toString(Boolean.TRUE.equals(spec.readOnly)));
        put(env, PodSetting.SCHEMA_MIGRATE_AT_START, "false");
        put(env, PodSetting.AGENT_TOKEN_FILE, PodContract.AGENT_TOKEN_FILE);
        GarbageCollectionSpec gc = spec.gc;
        if (gc != null && gc.reviewDelay != null) {
            put(env, PodSetting.GC_REVIEW_DELAY, gc.reviewDelay);
        }
        if (gc != null && gc.untaggedManifests != null) {
            put(env, PodSetting.GC_UNTAGGED_MANIFESTS, gc.untaggedManifests);
        }
        if (RulesFiles.retentionRules(registry).isPresent()) {
            // every pod mounts the rules ConfigMap: an import (a batch mode) honours immutable tags as a push does
            put(env, PodSetting.RETENTION_RULES, PodContract.RETENTION_RULES_FILE);
        }
        put(env, PodSetting.LOG_JSON, Boolean.toString(spec.logging == null || spec.logging.json()));
        S3StorageSpec s3 = spec.storage.s3;
        if (s3 != null) {
            put(env, PodSetting.STORAGE_DRIVER, PodContract.STORAGE_S3);
            put(env, PodSetting.STORAGE_S3_BUCKET, s3.bucket);
            put(env, PodSetting.STORAGE_S3_REGION, s3.region);
            put(env, PodSetting.STORAGE_S3_PATH_STYLE, Boolean.toString(Boolean.TRUE.equals(s3.pathStyle)));
            if (s3.endpoint != null && !s3.endpoint.isBlank()) {
                put(env, PodSetting.STORAGE_S3_ENDPOINT, s3.endpoint);
            }
            if (s3.prefix != null && !s3.prefix.isBlank()) {
                put(env, PodSetting.STORAGE_S3_PREFIX, s3.prefix);
            }
        } else {
            put(env, PodSetting.STORAGE_DRIVER, PodContract.STORAGE_FILESYSTEM);
            put(env, PodSetting.STORAGE_FILESYSTEM_ROOT, FleetNames.BLOBS_DIR);
        }
        return env;
    }

    /** A Duration in seconds as the runtime's configuration reads it; absent (null) leaves the runtime's default. */
    private static void putSeconds(Map<String, String> env, PodSetting setting, Integer seconds) {
        if (seconds != null) {
            put(env, setting, seconds + "S");
        }
    }

    private static void put(Map<String, String> env, PodSetting setting, String value) {
        env.put(setting.env(), value);
    }

    /**
     * Digest of everything whose change must restart the pods: env from a ConfigMap or Secret is read at start, and so
     * are the retention rules. The access rules are not in it: the pods re-read their file when it changes. The read
     * replicas are (when there are any): their settings are the container's own env, and a replica taken out must
     * change the template on any API server, not only where server-side apply removes the env entry.
     */
    public static String configHash(Registry registry, RegistryPlan plan) {
        String retention = RulesFiles.retentionRules(registry).map(rules -> "|" + rules).orElse("");
        String replicas = plan.readReplicas().served().isEmpty() ? "" : "|" + ReadReplicaEnv.of(plan).stream()
                .map(e -> e.getName() + "=" + e.getValue()).collect(Collectors.joining(","));
        return FleetNames.sha256(of(registry) + "|" + plan.secretsVersion() + retention + replicas).substring(0, 16);
    }
}
