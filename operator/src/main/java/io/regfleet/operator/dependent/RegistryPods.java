package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.naming.FleetNames;

import java.util.ArrayList;
import java.util.List;

/** The pieces shared by the registry pods and the migration Job's pod: env, security context, volumes. */
public final class RegistryPods {
    public static final String CONTAINER = "registry";

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

    public static List<EnvVar> storageCredentialsEnv(Registry registry) {
        var s3 = registry.getSpec().storage.s3;
        if (s3 == null || s3.credentialsSecret == null || s3.credentialsSecret.isBlank()) {
            return List.of(); // the default AWS provider chain (e.g. IRSA)
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

    /** A pod spec base with the restricted pod security context, no API token, and /tmp as an emptyDir. */
    public static PodSpecBuilder basePodSpec(Registry registry) {
        RegistrySpec spec = registry.getSpec();
        return new PodSpecBuilder()
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withRunAsNonRoot(true)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .build())
                .addToVolumes(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build())
                .withNodeSelector(spec.pod != null ? spec.pod.nodeSelector : null)
                .withTolerations(spec.pod != null ? spec.pod.tolerations : null)
                .withAffinity(spec.pod != null ? spec.pod.affinity : null)
                .withPriorityClassName(spec.pod != null ? spec.pod.priorityClassName : null);
    }

    /** The container of the migration Job: same image, REGFLEET_MODE=migrate, one connection. */
    public static ContainerBuilder migrationContainer(Registry registry) {
        List<EnvVar> env = new ArrayList<>();
        env.add(env(PodSetting.MODE, PodContract.MODE_MIGRATE));
        env.add(env(PodSetting.POOL_MAX_SIZE, "1"));
        env.addAll(databaseEnv(registry));
        return new ContainerBuilder()
                .withName("migrate")
                .withImage(registry.getSpec().image)
                .withEnvFrom(new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                        .withNewConfigMapRef().withName(FleetNames.runtimeConfigMap(registry)).endConfigMapRef().build())
                .withEnv(env)
                .withSecurityContext(containerSecurityContext())
                .withVolumeMounts(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    }
}
