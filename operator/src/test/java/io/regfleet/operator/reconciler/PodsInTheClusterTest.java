package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.NetworkPolicySpec;
import io.regfleet.operator.api.v1alpha1.PodOverrides;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.ServiceAccountSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry pods as a real cluster wants them: their own ServiceAccount (annotated for a cloud identity, no API
 * token), pull secrets, the user's extra env (never overriding the pod contract), a NetworkPolicy that keeps the
 * management port to the operator and the metrics scrapers, and the agent's ceilings.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class PodsInTheClusterTest extends MockClusterTestBase {
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/registry";

    @Test
    void thePodsGetTheirIdentityPullSecretsEnvAndNetworkPolicy() {
        Registry spec = SampleRegistries.onS3("identity", "idr");
        spec.getSpec().serviceAccount = new ServiceAccountSpec();
        spec.getSpec().serviceAccount.annotations = Map.of("eks.amazonaws.com/role-arn", ROLE_ARN);
        spec.getSpec().imagePullSecrets = List.of(new LocalObjectReference("pull"));
        spec.getSpec().pod = new PodOverrides();
        spec.getSpec().pod.env = List.of(new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS").withValue("-Xss512k").build());
        spec.getSpec().pod.envFrom = List.of(new EnvFromSourceBuilder().withNewSecretRef().withName("extra").endSecretRef().build());
        spec.getSpec().networkPolicy = new NetworkPolicySpec();
        spec.getSpec().networkPolicy.metricsNamespaceSelector = new LabelSelectorBuilder()
                .addToMatchLabels("kubernetes.io/metadata.name", "monitoring").build();
        Registry registry = deployed(spec);
        String ns = "identity";

        ServiceAccount account = client.serviceAccounts().inNamespace(ns).withName("idr").get();
        assertEquals(ROLE_ARN, account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"));
        assertEquals(Boolean.FALSE, account.getAutomountServiceAccountToken());
        assertEquals(registry.getMetadata().getUid(), account.getMetadata().getOwnerReferences().get(0).getUid());

        PodSpec pod = awaitDeployment(ns, "idr").getSpec().getTemplate().getSpec();
        Job job = client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).get();
        for (PodSpec p : List.of(pod, job.getSpec().getTemplate().getSpec())) {
            assertEquals("idr", p.getServiceAccountName());
            assertEquals(Boolean.FALSE, p.getAutomountServiceAccountToken(), "no API token in a registry pod");
            assertEquals(List.of(new LocalObjectReference("pull")), p.getImagePullSecrets());
            Container c = p.getContainers().get(0);
            assertEquals("-Xss512k", value(c, "JAVA_TOOL_OPTIONS"));
            // of two envFrom sources with one key the later wins, and env wins over both: the operator's come last
            assertEquals("extra", c.getEnvFrom().get(0).getSecretRef().getName());
            assertEquals("idr-runtime", c.getEnvFrom().get(1).getConfigMapRef().getName());
        }
        Container registryContainer = pod.getContainers().get(0);
        // the agent's ceilings: the budget's per-pod maximum (connectionsPerPod.maximum, default 20) and spec.workers.maximum
        assertEquals("20", value(registryContainer, "REGFLEET_POOL_CEILING"));
        assertEquals("200", value(registryContainer, "REGFLEET_WORKERS_CEILING"));

        NetworkPolicy policy = client.network().v1().networkPolicies().inNamespace(ns).withName("idr").get();
        assertEquals(registry.getMetadata().getUid(), policy.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("idr", policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/instance"));
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes(), "egress (database, S3) stays open");
        NetworkPolicyIngressRule api = rule(policy, 5000);
        assertTrue(api.getFrom() == null || api.getFrom().isEmpty(), "the registry API is open to all");
        NetworkPolicyIngressRule management = rule(policy, 9000);
        assertEquals(2, management.getFrom().size());
        assertEquals("regfleet-system", management.getFrom().get(0).getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
        assertEquals("regfleet-operator", management.getFrom().get(0).getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
        assertEquals("monitoring", management.getFrom().get(1).getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
        assertNull(management.getFrom().get(1).getPodSelector(), "any pod of the selected namespaces");

        // switched off: the operator deletes its NetworkPolicy
        client.resources(Registry.class).inNamespace(ns).withName("idr").edit(r -> {
            r.getSpec().networkPolicy.enabled = false;
            return r;
        });
        await().atMost(WAIT).until(() -> client.network().v1().networkPolicies().inNamespace(ns).withName("idr").get() == null);
    }

    @Test
    void envThatWouldOverrideThePodContractIsRefused() {
        String ns = namespaceWithDatabase("badenv");
        Registry spec = SampleRegistries.onS3(ns, "envy");
        spec.getSpec().pod = new PodOverrides();
        spec.getSpec().pod.env = List.of(new EnvVarBuilder().withName("REGFLEET_POOL_MAX_SIZE").withValue("500").build(),
                new EnvVarBuilder().withName("TZ").withValue("UTC").build());
        Registry registry = client.resource(spec).create();

        Registry refused = awaitCondition(ns, "envy", RegistryConditions.READY, "False", RegistryConditions.Reasons.INVALID_SPEC);
        assertEquals("spec.pod.env sets REGFLEET_POOL_MAX_SIZE, which the operator sets itself (the pod contract); remove it",
                refused.getStatus().condition(RegistryConditions.READY).orElseThrow().getMessage());
        assertNull(client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).get(), "nothing deployed");

        client.resources(Registry.class).inNamespace(ns).withName("envy").edit(r -> {
            r.getSpec().pod.env = List.of(new EnvVarBuilder().withName("TZ").withValue("UTC").build());
            return r;
        });
        completeJob(awaitJob(ns, registry), true);
        Deployment deployment = awaitDeployment(ns, "envy");
        assertEquals("UTC", value(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), "TZ"));
        assertFalse(client.resources(Registry.class).inNamespace(ns).withName("envy").get().getStatus()
                .condition(RegistryConditions.READY).orElseThrow().getReason().equals(RegistryConditions.Reasons.INVALID_SPEC));
    }

    private static NetworkPolicyIngressRule rule(NetworkPolicy policy, int port) {
        return policy.getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port)).findFirst().orElseThrow();
    }

    private static String value(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + c.getEnv().stream().map(EnvVar::getName).toList()));
    }
}
