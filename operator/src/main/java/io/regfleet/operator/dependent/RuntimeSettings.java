package io.regfleet.operator.dependent;

import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.api.v1alpha1.S3StorageSpec;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.Map;
import java.util.TreeMap;

/** The runtime's non-secret settings (its container contract), held in the runtime ConfigMap. */
public final class RuntimeSettings {
    private RuntimeSettings() {
    }

    public static Map<String, String> of(Registry registry) {
        RegistrySpec spec = registry.getSpec();
        Map<String, String> env = new TreeMap<>();
        env.put("REGFLEET_REGISTRY_NAME", registry.getMetadata().getName());
        env.put("REGFLEET_DB_SSLMODE", spec.database.sslMode.value());
        env.put("REGFLEET_READ_ONLY", Boolean.toString(Boolean.TRUE.equals(spec.readOnly)));
        env.put("REGFLEET_SCHEMA_MIGRATE_AT_START", "false");
        env.put("REGFLEET_AGENT_TOKEN_FILE", FleetNames.AGENT_TOKEN_DIR + "/" + FleetNames.AGENT_TOKEN_KEY);
        S3StorageSpec s3 = spec.storage.s3;
        if (s3 != null) {
            env.put("REGFLEET_STORAGE_DRIVER", "s3");
            env.put("REGFLEET_STORAGE_S3_BUCKET", s3.bucket);
            env.put("REGFLEET_STORAGE_S3_REGION", s3.region);
            env.put("REGFLEET_STORAGE_S3_PATH_STYLE", Boolean.toString(Boolean.TRUE.equals(s3.pathStyle)));
            if (s3.endpoint != null && !s3.endpoint.isBlank()) {
                env.put("REGFLEET_STORAGE_S3_ENDPOINT", s3.endpoint);
            }
            if (s3.prefix != null && !s3.prefix.isBlank()) {
                env.put("REGFLEET_STORAGE_S3_PREFIX", s3.prefix);
            }
        } else {
            env.put("REGFLEET_STORAGE_DRIVER", "filesystem");
            env.put("REGFLEET_STORAGE_FILESYSTEM_ROOT", FleetNames.BLOBS_DIR);
        }
        return env;
    }

    /** Digest of everything whose change must restart the pods (env from a ConfigMap or Secret is read at start). */
    public static String configHash(Registry registry, RegistryPlan plan) {
        return FleetNames.sha256(of(registry) + "|" + plan.secretsVersion()).substring(0, 16);
    }
}
