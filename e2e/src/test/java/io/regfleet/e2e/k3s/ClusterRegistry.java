package io.regfleet.e2e.k3s;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.regfleet.operator.api.v1alpha1.BudgetStatus;
import io.regfleet.operator.api.v1alpha1.PodAllocationStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Registry in the cluster as a user writes it (filesystem storage on a PVC, rebalancing on), read through the
 * custom resource's own model (registry-api): its readiness is the model's, not a second copy of the rule.
 */
record ClusterRegistry(KubernetesClient client, String namespace, String name) {

    /**
     * Creates the blob claim (local-path, ReadWriteOnce: every pod is on the one node) and the Registry, without
     * spec.image: it runs the registry image of the operator's version.
     */
    void create(int replicas, String databaseSecret) {
        String claim = name + "-blobs";
        client.resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(claim).withNamespace(namespace).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
                .endSpec().build()).create();
        String yaml = """
                apiVersion: regfleet.io/v1alpha1
                kind: Registry
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  replicas: %d
                  storage:
                    filesystem:
                      claimName: %s
                  database:
                    secretName: %s
                    sslMode: disable
                  connectionsPerPod:
                    minimum: 2
                    maximum: 20
                  rebalancing:
                    enabled: true
                """.formatted(name, namespace, replicas, claim, databaseSecret);
        client.resources(Registry.class).inNamespace(namespace).resource(Serialization.unmarshal(yaml, Registry.class)).create();
    }

    private Resource<Registry> resource() {
        return client.resources(Registry.class).inNamespace(namespace).withName(name);
    }

    /** The Registry's status now (an empty one before the operator wrote any). */
    RegistryStatus status() {
        Registry registry = resource().get();
        return registry == null || registry.getStatus() == null ? new RegistryStatus() : registry.getStatus();
    }

    /** The pool maximum the rebalancer last recorded for the pod in status.allocations; 0 before it did. */
    int poolMaxOf(String pod) {
        List<PodAllocationStatus> allocations = status().allocations;
        return allocations == null ? 0 : allocations.stream().filter(a -> pod.equals(a.pod) && a.poolMaxSize != null)
                .mapToInt(a -> a.poolMaxSize).findFirst().orElse(0);
    }

    /** What the budget in status says, or an assertion error that shows the whole status. */
    BudgetStatus requireBudget() {
        RegistryStatus status = status();
        if (status.budget == null || status.budget.available == null || status.budget.perPodFloor == null) {
            throw new AssertionError("status.budget incomplete: " + Serialization.asJson(status));
        }
        return status.budget;
    }

    void awaitReady(Duration timeout) {
        resource().waitUntilCondition(r -> r != null && r.isReady(), timeout.toSeconds(), TimeUnit.SECONDS);
    }

    Map<String, String> podSelector() {
        return Map.of("app.kubernetes.io/name", "regfleet-registry", "app.kubernetes.io/instance", name,
                "app.kubernetes.io/component", "registry");
    }

    /** Registry pods that are ready and not being deleted. */
    List<Pod> readyPods() {
        return client.pods().inNamespace(namespace).withLabels(podSelector()).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(ClusterRegistry::isReady)
                .toList();
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Kills every registry pod at once (grace period 0): the restart storm. */
    List<String> killAllPods() {
        List<String> names = client.pods().inNamespace(namespace).withLabels(podSelector()).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).toList();
        client.pods().inNamespace(namespace).withLabels(podSelector()).withGracePeriod(0).delete();
        return names;
    }

    /** The Deployment the operator made (same name as the Registry) has every replica updated and available. */
    void awaitDeploymentAvailable(Duration timeout) {
        client.apps().deployments().inNamespace(namespace).withName(name)
                .waitUntilCondition(ClusterRegistry::fullyAvailable, timeout.toSeconds(), TimeUnit.SECONDS);
    }

    private static boolean fullyAvailable(Deployment d) {
        if (d == null || d.getSpec() == null || d.getStatus() == null) {
            return false;
        }
        int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return wanted > 0 && Integer.valueOf(wanted).equals(d.getStatus().getAvailableReplicas())
                && Integer.valueOf(wanted).equals(d.getStatus().getReadyReplicas())
                && Integer.valueOf(wanted).equals(d.getStatus().getUpdatedReplicas());
    }
}
