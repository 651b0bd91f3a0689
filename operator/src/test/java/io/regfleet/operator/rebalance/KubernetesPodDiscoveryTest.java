package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.regfleet.control.rebalance.FleetPod;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Discovery against the Fabric8 mock API server: which pods a round talks to, and at which address. */
@EnableKubernetesMockClient(crud = true)
class KubernetesPodDiscoveryTest {
    static final Map<String, String> SELECTOR = Map.of("app.kubernetes.io/name", "regfleet-registry", "app.kubernetes.io/instance", "reg");

    KubernetesClient client;

    @Test
    void listsRunningStartedRegistryPodsAtTheirManagementPort() throws IOException {
        String ns = "discovery";
        create(pod(ns, "reg-b", "registry", "10.0.0.8", "Running", true, 9100));
        create(pod(ns, "reg-a", "registry", "10.0.0.7", "Running", true, null));
        create(pod(ns, "reg-v6", "registry", "fd00::5", "Running", true, null));
        create(pod(ns, "reg-pending", "registry", null, "Pending", false, null));   // no address yet
        create(pod(ns, "reg-starting", "registry", "10.0.0.9", "Running", false, null)); // container not started
        create(pod(ns, "reg-migrate", "schema-migration", "10.0.0.10", "Running", true, null)); // not a registry pod
        Pod other = pod(ns, "other", "registry", "10.0.0.11", "Running", true, null);
        other.getMetadata().getLabels().put("app.kubernetes.io/instance", "another");
        create(other); // another Registry's pod

        List<FleetPod> pods = new KubernetesPodDiscovery(client, ns, SELECTOR).pods();

        assertEquals(List.of(
                new FleetPod("reg-a", URI.create("http://10.0.0.7:9000"), false),
                new FleetPod("reg-b", URI.create("http://10.0.0.8:9100"), false),
                new FleetPod("reg-v6", URI.create("http://[fd00::5]:9000"), false)), pods);
    }

    @Test
    void aPodBeingDeletedIsListedAsTerminating() throws IOException {
        String ns = "terminating";
        Pod pod = pod(ns, "reg-x", "registry", "10.0.1.1", "Running", true, null);
        pod.getMetadata().setFinalizers(List.of("test/hold")); // keeps it listed while deleted, as a grace period would
        create(pod);
        client.pods().inNamespace(ns).withName("reg-x").delete();

        assertEquals(List.of(new FleetPod("reg-x", URI.create("http://10.0.1.1:9000"), true)),
                new KubernetesPodDiscovery(client, ns, SELECTOR).pods());
    }

    @Test
    void anApiErrorIsAnIOException() {
        // an API server that does not answer: the round is skipped, not crashed (no retries, to keep the test short)
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + io.regfleet.dev.FreePorts.next()).withRequestRetryBackoffLimit(0)
                .build()).build()) {
            assertThrows(IOException.class, () -> new KubernetesPodDiscovery(unreachable, "any", SELECTOR).pods());
        }
    }

    private void create(Pod pod) {
        Pod created = client.resource(pod).create();
        // the mock server may drop status on create: set it as the kubelet would
        if (created.getStatus() == null || created.getStatus().getPhase() == null) {
            created.setStatus(pod.getStatus());
            client.resource(created).updateStatus();
        }
    }

    static Pod pod(String ns, String name, String component, String ip, String phase, boolean started, Integer managementPort) {
        Map<String, String> labels = new java.util.HashMap<>(SELECTOR);
        labels.put("app.kubernetes.io/component", component);
        var builder = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("registry").withImage("registry:test");
        if (managementPort != null) {
            builder = builder.addNewPort().withName("management").withContainerPort(managementPort).endPort();
        }
        return builder.endContainer().endSpec()
                .withNewStatus().withPhase(phase).withPodIP(ip)
                .addNewContainerStatus().withName("registry").withStarted(started).withReady(started).endContainerStatus()
                .endStatus()
                .build();
    }
}
