package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry pods' Deployment, a pure function of (Registry, RegistryPlan): the plan's starting pool maximum and
 * workers passed in, the agent token mounted, probes on the management port.
 */
public final class RegistryDeployment {
    private RegistryDeployment() {
    }

    public static Deployment build(Registry registry, RegistryPlan plan) {
        RegistrySpec spec = registry.getSpec();
        Map<String, String> selector = FleetNames.selectorLabels(registry);
        Map<String, String> podLabels = new TreeMap<>();
        if (spec.pod != null && spec.pod.labels != null) {
            podLabels.putAll(spec.pod.labels);
        }
        podLabels.putAll(FleetNames.labels(registry, "registry"));
        Map<String, String> podAnnotations = new TreeMap<>();
        if (spec.pod != null && spec.pod.annotations != null) {
            podAnnotations.putAll(spec.pod.annotations);
        }
        podAnnotations.put(FleetNames.CONFIG_HASH_ANNOTATION, RuntimeSettings.configHash(registry, plan));

        PodSpec podSpec = RegistryPods.basePodSpec(registry)
                .withTerminationGracePeriodSeconds(RegistryPlan.TERMINATION_GRACE_SECONDS)
                .withTopologySpreadConstraints(topologySpread(registry, selector))
                .addToContainers(container(registry, plan).build())
                .addToVolumes(new VolumeBuilder().withName("agent-token")
                        .withNewSecret().withSecretName(FleetNames.agentTokenSecret(registry)).withDefaultMode(0440)
                        .endSecret().build())
                .addAllToVolumes(RegistryPods.blobsVolume(registry))
                .addAllToVolumes(ServingPod.volumes(registry))
                .build();
        int surge = plan.fleet().budget().maxSurge();
        int replicas = plan.fleet().budget().maxReplicas();
        return new DeploymentBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.deployment(registry), "registry"))
                .editMetadata().addToAnnotations(FleetNames.IMAGE_ANNOTATION, plan.image()).endMetadata()
                .withNewSpec()
                // with an autoscaler the replica count is its field, not ours (server-side apply leaves it alone);
                // when the budget fits no pod at all there is no autoscaler and the operator scales to zero itself
                .withReplicas(plan.fleet().autoscaled() && replicas >= 1 ? null : replicas)
                .withSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(surge))
                .withMaxUnavailable(new IntOrString(surge == 0 ? 1 : 0))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).withAnnotations(podAnnotations).endMetadata()
                .withSpec(podSpec)
                .endTemplate()
                .endSpec()
                .build();
    }

    private static ContainerBuilder container(Registry registry, RegistryPlan plan) {
        RegistrySpec spec = registry.getSpec();
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(PodSetting.POD_NAME.env())
                .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        // the pod's share of the budget at start, and the most its agent may ever be given
        env.add(RegistryPods.env(PodSetting.POOL_MAX_SIZE, Integer.toString(plan.fleet().startingPoolMax())));
        env.add(RegistryPods.env(PodSetting.POOL_CEILING, Integer.toString(plan.poolCeiling())));
        env.add(RegistryPods.env(PodSetting.WORKERS_LIMIT, Integer.toString(plan.fleet().startingWorkers())));
        env.add(RegistryPods.env(PodSetting.WORKERS_CEILING, Integer.toString(spec.workers.maximum)));
        env.addAll(plan.pooler() == null ? RegistryPods.databaseEnv(registry) : RegistryPods.pooledDatabaseEnv(registry));
        env.addAll(ReadReplicaEnv.of(plan));
        env.addAll(RegistryPods.storageCredentialsEnv(registry));
        env.addAll(ServingPod.env(registry));

        List<VolumeMount> mounts = RegistryPods.commonMounts(registry);
        mounts.add(new VolumeMountBuilder().withName("agent-token").withMountPath(PodContract.AGENT_TOKEN_DIR).withReadOnly(true).build());
        mounts.addAll(RegistryPods.blobsMount(registry));
        mounts.addAll(ServingPod.mounts(registry));
        List<ContainerPort> ports = List.of(
                new ContainerPortBuilder().withName(FleetObjects.apiPortName(registry)).withContainerPort(PodContract.HTTP_PORT)
                        .withProtocol("TCP").build(),
                new ContainerPortBuilder().withName("management").withContainerPort(PodContract.MANAGEMENT_PORT).withProtocol("TCP").build());
        return new ContainerBuilder()
                .withName(RegistryPods.CONTAINER)
                .withImage(plan.image())
                .withPorts(ports)
                .withEnvFrom(RegistryPods.envFrom(registry))
                .withEnv(RegistryPods.withUserEnv(registry, env))
                .withResources(spec.resources)
                .withVolumeMounts(mounts)
                .withSecurityContext(RegistryPods.containerSecurityContext())
                // liveness never depends on the database
                .withLivenessProbe(probe(PodContract.LIVENESS_PATH, 10, 3))
                .withReadinessProbe(probe(PodContract.READINESS_PATH, 5, 3))
                .withStartupProbe(probe(PodContract.LIVENESS_PATH, 2, 60));
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString("management")).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /** The user's spread, or by default one pod per node where possible. */
    private static List<TopologySpreadConstraint> topologySpread(Registry registry, Map<String, String> selector) {
        var pod = registry.getSpec().pod;
        if (pod != null && pod.topologySpreadConstraints != null && !pod.topologySpreadConstraints.isEmpty()) {
            return pod.topologySpreadConstraints;
        }
        return List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
                .build());
    }
}
