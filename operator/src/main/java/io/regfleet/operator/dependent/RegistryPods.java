package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.api.v1alpha1.PodOverrides;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.PoolerPlan;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * The pieces shared by the registry pods and the migration Job's pod: env, security context, the service account,
 * pull secrets and volumes.
 */
public final class RegistryPods {
    public static final String CONTAINER = "registry";
    private static final String DB_CA_VOLUME = "db-ca", RULES_VOLUME = "rules", BLOBS_VOLUME = "blobs";
    private static final String LOOPBACK = "127.0.0.1";

    private RegistryPods() {
    }

    /** Restricted pod security standard: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp. */
    public static SecurityContext containerSecurityContext() {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withCapabilities(new Capabilities(null, List.of("ALL")))
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    /** The database env from the user's Secret (keys host, port, database, user, password). */
    public static List<EnvVar> databaseEnv(Registry registry) {
        String secret = registry.getSpec().database.secretName;
        return List.of(
                secretEnv(PodSetting.DB_HOST, secret, "host"),
                secretEnv(PodSetting.DB_PORT, secret, "port"),
                secretEnv(PodSetting.DB_NAME, secret, "database"),
                secretEnv(PodSetting.DB_USERNAME, secret, "user"),
                secretEnv(PodSetting.DB_PASSWORD, secret, "password"));
    }

    /**
     * The database env of a serving pod behind PgBouncer: its Service instead of the Secret's host and port, the same
     * database and credentials (PgBouncer checks them against its auth file), nothing session-scoped sent. The hop to
     * PgBouncer stays inside the namespace without TLS; PgBouncer's own to the server is spec.database.sslMode's.
     */
    public static List<EnvVar> pooledDatabaseEnv(Registry registry) {
        String secret = registry.getSpec().database.secretName;
        return List.of(
                env(PodSetting.DB_HOST, FleetNames.pooler(registry)),
                env(PodSetting.DB_PORT, Integer.toString(PoolerPlan.PORT)),
                env(PodSetting.DB_SSLMODE, "disable"),
                env(PodSetting.DB_TRANSACTION_POOLED, "true"),
                secretEnv(PodSetting.DB_NAME, secret, "database"),
                secretEnv(PodSetting.DB_USERNAME, secret, "user"),
                secretEnv(PodSetting.DB_PASSWORD, secret, "password"));
    }

    public static List<EnvVar> storageCredentialsEnv(Registry registry) {
        var s3 = registry.getSpec().storage.s3;
        if (s3 == null || s3.credentialsSecret == null || s3.credentialsSecret.isBlank()) {
            return List.of(); // the default AWS provider chain (e.g. IRSA through the pods' ServiceAccount)
        }
        return List.of(
                secretEnv(PodSetting.STORAGE_S3_ACCESS_KEY_ID, s3.credentialsSecret, "accessKeyId"),
                secretEnv(PodSetting.STORAGE_S3_SECRET_ACCESS_KEY, s3.credentialsSecret, "secretAccessKey"));
    }

    static EnvVar secretEnv(PodSetting setting, String secret, String key) {
        return new EnvVarBuilder().withName(setting.env())
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).withOptional(false)
                .endSecretKeyRef().endValueFrom().build();
    }

    static EnvVar env(PodSetting setting, String value) {
        return new EnvVarBuilder().withName(setting.env()).withValue(value).build();
    }

    /**
     * The operator's env after the user's (spec.pod.env): none of the user's may name a setting of the pod contract
     * (the reconciler refuses such a spec, see {@link PodEnvironment}), so the list holds each name once.
     */
    static List<EnvVar> withUserEnv(Registry registry, List<EnvVar> operators) {
        List<EnvVar> env = new ArrayList<>(PodEnvironment.userEnv(registry));
        env.addAll(operators);
        return env;
    }

    /**
     * The user's envFrom first, the runtime ConfigMap last: of two sources with the same key the later wins, and any
     * entry of env wins over all of them, so the operator's settings always take precedence.
     */
    static List<EnvFromSource> envFrom(Registry registry) {
        PodOverrides pod = registry.getSpec().pod;
        List<EnvFromSource> sources = new ArrayList<>(pod == null || pod.envFrom == null ? List.of() : pod.envFrom);
        sources.add(new EnvFromSourceBuilder().withNewConfigMapRef().withName(FleetNames.runtimeConfigMap(registry)).endConfigMapRef().build());
        return sources;
    }

    /** /tmp, the rules files, and the database's CA when the spec names one. */
    static List<VolumeMount> commonMounts(Registry registry) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        mounts.add(new VolumeMountBuilder().withName(RULES_VOLUME).withMountPath(PodContract.RULES_DIR).withReadOnly(true).build());
        if (hasDatabaseCa(registry)) {
            mounts.add(new VolumeMountBuilder().withName(DB_CA_VOLUME).withMountPath(PodContract.DB_CA_DIR).withReadOnly(true).build());
        }
        return mounts;
    }

    static boolean hasDatabaseCa(Registry registry) {
        String ca = registry.getSpec().database.caSecret;
        return ca != null && !ca.isBlank();
    }

    /**
     * A pod spec base: the Registry's own ServiceAccount without an API token, the pull secrets, the restricted pod
     * security context, /tmp as an emptyDir, the rules ConfigMap, the database's CA, the user's scheduling.
     */
    public static PodSpecBuilder basePodSpec(Registry registry) {
        RegistrySpec spec = registry.getSpec();
        PodSpecBuilder pod = new PodSpecBuilder()
                .withServiceAccountName(FleetNames.serviceAccount(registry))
                .withAutomountServiceAccountToken(false)
                .withImagePullSecrets(spec.imagePullSecrets)
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withRunAsNonRoot(true)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .build())
                .addToVolumes(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build())
                .addToVolumes(new VolumeBuilder().withName(RULES_VOLUME)
                        .withNewConfigMap().withName(FleetNames.rulesConfigMap(registry)).withDefaultMode(0444).endConfigMap().build())
                .withNodeSelector(spec.pod != null ? spec.pod.nodeSelector : null)
                .withTolerations(spec.pod != null ? spec.pod.tolerations : null)
                .withAffinity(spec.pod != null ? spec.pod.affinity : null)
                .withPriorityClassName(spec.pod != null ? spec.pod.priorityClassName : null);
        if (hasDatabaseCa(registry)) {
            pod.addToVolumes(new VolumeBuilder().withName(DB_CA_VOLUME)
                    .withNewSecret().withSecretName(spec.database.caSecret).withDefaultMode(0444)
                    .addNewItem().withKey(PodContract.DB_CA_KEY).withPath(PodContract.DB_CA_KEY).endItem()
                    .endSecret().build());
        }
        return pod;
    }

    /** The blob volume claim of a Registry on a filesystem (none on S3). */
    static List<io.fabric8.kubernetes.api.model.Volume> blobsVolume(Registry registry) {
        var filesystem = registry.getSpec().storage.filesystem;
        return filesystem == null ? List.of() : List.of(new VolumeBuilder().withName(BLOBS_VOLUME)
                .withNewPersistentVolumeClaim().withClaimName(filesystem.claimName).endPersistentVolumeClaim().build());
    }

    static List<VolumeMount> blobsMount(Registry registry) {
        return registry.getSpec().storage.filesystem == null ? List.of()
                : List.of(new VolumeMountBuilder().withName(BLOBS_VOLUME).withMountPath(FleetNames.BLOBS_DIR).build());
    }

    /** The container of the migration Job: the plan's image, REGFLEET_MODE=migrate, one connection. */
    public static ContainerBuilder migrationContainer(Registry registry, RegistryPlan plan) {
        return toolContainer(registry, "migrate", plan.image(),
                List.of(env(PodSetting.MODE, PodContract.MODE_MIGRATE), env(PodSetting.POOL_MAX_SIZE, "1")));
    }

    /**
     * A container of a batch mode of the runtime (migrate, verify): the image, the mode's settings, the database and
     * the runtime ConfigMap as a serving pod has them, the user's env; none of the serving pods' files. The runtime
     * starts its listeners in every mode: here they listen on the pod's loopback only, so nobody reaches a registry
     * API without access control nor an agent outside the NetworkPolicy.
     */
    static ContainerBuilder toolContainer(Registry registry, String name, String image, List<EnvVar> settings) {
        List<EnvVar> env = new ArrayList<>(settings);
        env.add(env(PodSetting.HTTP_HOST, LOOPBACK));
        env.add(env(PodSetting.MANAGEMENT_HOST, LOOPBACK));
        env.addAll(databaseEnv(registry));
        return new ContainerBuilder()
                .withName(name)
                .withImage(image)
                .withEnvFrom(envFrom(registry))
                .withEnv(withUserEnv(registry, env))
                .withSecurityContext(containerSecurityContext())
                .withVolumeMounts(commonMounts(registry));
    }
}
