package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.plan.FleetPlan;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.LoggingSpec;
import io.regfleet.operator.api.v1alpha1.PodOverrides;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.MigrationJob;
import io.regfleet.operator.plan.RegistryPlan;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The desired Deployment is a pure function of (Registry, RegistryPlan): checked without any cluster. */
class RegistryDeploymentDependentTest {

    private static Registry filesystemRegistry() {
        Registry r = SampleRegistries.onClaim("ns", "fs", "blobs");
        RegistrySpec spec = r.getSpec();
        spec.pod = new PodOverrides();
        spec.pod.nodeSelector = Map.of("disk", "ssd");
        spec.pod.tolerations = List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build());
        spec.pod.priorityClassName = "registry-critical";
        spec.pod.labels = Map.of("team", "platform", "app.kubernetes.io/instance", "hijack");
        spec.pod.annotations = Map.of("example.com/owner", "platform");
        return r;
    }

    private static RegistryPlan plan(int replicas, int surge, int floor) {
        var budget = new ConnectionBudget(100, 5, 0, -1, 95, replicas, surge, replicas + surge, floor, floor * (replicas + surge), false, replicas);
        return plan(new FleetPlan(budget, Optional.empty(), 16, 0), "v1");
    }

    private static RegistryPlan plan(FleetPlan fleet, String secretsVersion) {
        return new RegistryPlan(fleet, "registry:test", secretsVersion,
                new MigrationJob("fs-migrate", 1, 2, Duration.ofMinutes(20)), "regfleet-system");
    }

    @Test
    void filesystemStorageMountsTheClaimAndPodOverridesApply() {
        Registry registry = filesystemRegistry();
        Deployment d = RegistryDeployment.build(registry, plan(2, 1, 7));
        var pod = d.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertEquals("blobs", pod.getVolumes().stream().filter(v -> v.getName().equals("blobs")).findFirst().orElseThrow()
                .getPersistentVolumeClaim().getClaimName());
        assertEquals(FleetNames.BLOBS_DIR, container.getVolumeMounts().stream().filter(m -> m.getName().equals("blobs"))
                .findFirst().orElseThrow().getMountPath());
        assertEquals("/var/lib/regfleet/blobs", RuntimeSettings.of(registry).get("REGFLEET_STORAGE_FILESYSTEM_ROOT"));
        assertEquals("filesystem", RuntimeSettings.of(registry).get("REGFLEET_STORAGE_DRIVER"));
        assertEquals(Map.of("disk", "ssd"), pod.getNodeSelector());
        assertEquals("dedicated", pod.getTolerations().get(0).getKey());
        assertEquals("registry-critical", pod.getPriorityClassName());
        var labels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals("platform", labels.get("team"));
        assertEquals("fs", labels.get("app.kubernetes.io/instance"), "the selector labels win over the user's");
        assertEquals("platform", d.getSpec().getTemplate().getMetadata().getAnnotations().get("example.com/owner"));
        assertFalse(pod.getAutomountServiceAccountToken());
        assertEquals("7", container.getEnv().stream().filter(e -> e.getName().equals("REGFLEET_POOL_MAX_SIZE")).findFirst().orElseThrow().getValue());
    }

    @Test
    void withoutSurgeTheRolloutReplacesOnePodAtATime() {
        Deployment d = RegistryDeployment.build(filesystemRegistry(), plan(1, 0, 4));
        assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal());
        assertEquals(1, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertEquals(1, d.getSpec().getReplicas());
    }

    @Test
    void podsLogJsonUnlessTheSpecAsksForText() {
        Registry registry = filesystemRegistry();
        assertEquals("true", RuntimeSettings.of(registry).get("REGFLEET_LOG_JSON"));
        String json = RuntimeSettings.configHash(registry, plan(1, 1, 4));
        registry.getSpec().logging.format = LoggingSpec.Format.TEXT;
        assertEquals("false", RuntimeSettings.of(registry).get("REGFLEET_LOG_JSON"));
        assertFalse(json.equals(RuntimeSettings.configHash(registry, plan(1, 1, 4))), "a new format restarts the pods");
        registry.getSpec().logging = null;
        assertEquals("true", RuntimeSettings.of(registry).get("REGFLEET_LOG_JSON"));
    }

    @Test
    void theConfigHashFollowsSettingsAndSecretVersions() {
        Registry registry = filesystemRegistry();
        String a = RuntimeSettings.configHash(registry, plan(1, 1, 4));
        var other = plan(plan(1, 1, 4).fleet(), "v2");
        assertFalse(a.equals(RuntimeSettings.configHash(registry, other)));
        registry.getSpec().readOnly = true;
        assertFalse(a.equals(RuntimeSettings.configHash(registry, plan(1, 1, 4))));
    }
}
