package io.regfleet.e2e.k3s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Registry in the cluster as a user writes it (filesystem storage on a PVC, rebalancing on), handled as a
 * generic resource so the test does not depend on the operator's Java model.
 */
record ClusterRegistry(KubernetesClient client, String namespace, String name) {
    static final ResourceDefinitionContext REGISTRIES = new ResourceDefinitionContext.Builder()
            .withGroup("regfleet.io").withVersion("v1alpha1").withPlural("registries").withKind("Registry")
            .withNamespaced(true).build();

    /** Creates the blob claim (local-path, ReadWriteOnce: every pod is on the one node) and the Registry. */
    void create(String image, int replicas, String databaseSecret) {
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
                  image: %s
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
                """.formatted(name, namespace, image, replicas, claim, databaseSecret);
        client.genericKubernetesResources(REGISTRIES).inNamespace(namespace)
                .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create();
    }

    private Resource<GenericKubernetesResource> resource() {
        return client.genericKubernetesResources(REGISTRIES).inNamespace(namespace).withName(name);
    }

    RegistryStatusView status() {
        return RegistryStatusView.of(resource().get());
    }

    void awaitReady(Duration timeout) {
        resource().waitUntilCondition(r -> RegistryStatusView.of(r).ready(), timeout.toSeconds(), TimeUnit.SECONDS);
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
