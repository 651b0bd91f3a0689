package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.regfleet.control.pooler.PgBouncerSettings;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.PoolerPlan;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PgBouncer in front of the database (spec.database.pooler) as the plan sizes it: its configuration and auth file in a
 * Secret (the auth file holds the role's password), its pods, and the Service the registry pods connect to.
 */
public final class PoolerObjects {
    static final String COMPONENT = "pooler";
    static final String CONFIG_DIR = "/etc/pgbouncer";
    static final String INI = "pgbouncer.ini";
    static final String USERLIST = "userlist.txt";

    private PoolerObjects() {
    }

    /** pgbouncer.ini and its auth file. */
    public static Secret secret(Registry registry, RegistryPlan plan) {
        PoolerPlan pooler = plan.pooler();
        PgBouncerSettings settings = pooler.settings();
        return new SecretBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.poolerAuthSecret(registry), COMPONENT))
                .withType("Opaque")
                .withStringData(Map.of(INI, settings.ini(CONFIG_DIR + "/" + USERLIST),
                        USERLIST, PgBouncerSettings.userlist(settings.server().user(), pooler.password())))
                .build();
    }

    /**
     * Its pods, the plan's instances; a rollout replaces one at a time with one extra (the slot the budget counts
     * beyond the replicas), and a changed configuration rolls them (the pods read it at start).
     */
    public static Deployment deployment(Registry registry, RegistryPlan plan) {
        PoolerPlan pooler = plan.pooler();
        Map<String, String> podLabels = new TreeMap<>(FleetNames.poolerSelectorLabels(registry));
        podLabels.put("app.kubernetes.io/managed-by", FleetNames.MANAGED_BY);
        podLabels.put("app.kubernetes.io/component", COMPONENT);
        var pod = RegistryPods.basePodSpec(registry)
                .addToVolumes(new VolumeBuilder().withName("config")
                        .withNewSecret().withSecretName(FleetNames.poolerAuthSecret(registry)).withDefaultMode(0440).endSecret()
                        .build())
                .withContainers(new ContainerBuilder()
                        .withName("pgbouncer")
                        .withImage(pooler.spec().image)
                        .withCommand("/usr/bin/pgbouncer")
                        .withArgs(CONFIG_DIR + "/" + INI)
                        .addNewPort().withName("pgbouncer").withContainerPort(PoolerPlan.PORT).withProtocol("TCP").endPort()
                        .withVolumeMounts(mounts(registry))
                        .withResources(pooler.spec().resources)
                        .withSecurityContext(RegistryPods.containerSecurityContext())
                        .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString("pgbouncer")).endTcpSocket()
                        .withPeriodSeconds(5).endReadinessProbe()
                        .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString("pgbouncer")).endTcpSocket()
                        .withPeriodSeconds(10).withFailureThreshold(3).endLivenessProbe()
                        .build())
                .build();
        return new DeploymentBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.pooler(registry), COMPONENT))
                .withNewSpec()
                .withReplicas(pooler.instances())
                .withSelector(new LabelSelectorBuilder().withMatchLabels(FleetNames.poolerSelectorLabels(registry)).build())
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(pooler.slots() - pooler.instances()))
                .withMaxUnavailable(new IntOrString(pooler.slots() > pooler.instances() ? 0 : 1))
                .endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels)
                .withAnnotations(Map.of(FleetNames.CONFIG_HASH_ANNOTATION, pooler.configHash())).endMetadata()
                .withSpec(pod)
                .endTemplate()
                .endSpec()
                .build();
    }

    /** Where the registry pods connect instead of the database. */
    public static Service service(Registry registry) {
        return new ServiceBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.pooler(registry), COMPONENT))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(FleetNames.poolerSelectorLabels(registry))
                .addNewPort().withName("pgbouncer").withPort(PoolerPlan.PORT).withTargetPort(new IntOrString("pgbouncer"))
                .withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }

    /** The config Secret, /tmp and the database's CA (server_tls_ca_file) as the registry pods mount them. */
    private static List<VolumeMount> mounts(Registry registry) {
        List<VolumeMount> mounts = RegistryPods.commonMounts(registry);
        mounts.add(new VolumeMountBuilder().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).build());
        return mounts;
    }
}
