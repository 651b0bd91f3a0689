package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.regfleet.control.rebalance.FleetPod;
import io.regfleet.control.rebalance.PodDiscovery;
import io.regfleet.fleet.PodContract;

import java.io.IOException;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Registry's registry pods from the Kubernetes API (its selector labels, component {@code registry}), read directly
 * each round: the operator does not otherwise watch pods. A pod without an address, not Running, or whose containers
 * have not started cannot answer yet and is left out (a new pod starts at the floor, which its slot already reserves).
 */
public final class KubernetesPodDiscovery implements PodDiscovery {
    static final String COMPONENT = "registry";

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, String> selector;

    public KubernetesPodDiscovery(KubernetesClient client, String namespace, Map<String, String> selector) {
        this.client = client;
        this.namespace = namespace;
        this.selector = Map.copyOf(selector);
    }

    @Override
    public List<FleetPod> pods() throws IOException {
        List<Pod> pods;
        try {
            pods = client.pods().inNamespace(namespace).withLabels(selector).list().getItems();
        } catch (KubernetesClientException e) {
            throw new IOException("cannot list the pods of " + namespace + "/" + selector + ": " + e.getMessage(), e);
        }
        return pods.stream()
                .filter(p -> COMPONENT.equals(p.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .filter(KubernetesPodDiscovery::answering)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(p -> new FleetPod(p.getMetadata().getName(),
                        URI.create("http://" + address(p.getStatus().getPodIP()) + ":" + managementPort(p)),
                        p.getMetadata().getDeletionTimestamp() != null))
                .toList();
    }

    static boolean answering(Pod pod) {
        var status = pod.getStatus();
        if (status == null || status.getPodIP() == null || status.getPodIP().isBlank() || !"Running".equals(status.getPhase())) {
            return false;
        }
        List<ContainerStatus> containers = status.getContainerStatuses();
        return containers != null && !containers.isEmpty()
                && containers.stream().allMatch(c -> Boolean.TRUE.equals(c.getStarted()));
    }

    /** The port the pod declares as "management", else the one the operator gives every registry pod. */
    static int managementPort(Pod pod) {
        return pod.getSpec() == null ? PodContract.MANAGEMENT_PORT : pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
                .filter(port -> "management".equals(port.getName()))
                .map(ContainerPort::getContainerPort)
                .filter(Objects::nonNull)
                .findFirst().orElse(PodContract.MANAGEMENT_PORT);
    }

    private static String address(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip; // IPv6
    }
}
