package io.regfleet.e2e.k3s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.LocalPortForward;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Local ports forwarded to every ready registry pod, kept current once a second: when pods are killed and replaced,
 * clients move to the new ones (a port-forward to a Service would stay pinned to the pod it picked first).
 */
final class PodPortForwards implements AutoCloseable {
    /** Refused at once, so a client with no pod to go to counts a connect error and retries. */
    private static final String NOWHERE = "http://127.0.0.1:1";
    private final ClusterRegistry registry;
    private final Map<String, LocalPortForward> forwards = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread refresher;

    PodPortForwards(ClusterRegistry registry) {
        this.registry = registry;
        refresh();
        this.refresher = Thread.ofPlatform().name("pod-forwards").daemon().start(() -> {
            while (running.get()) {
                try {
                    Thread.sleep(1_000);
                    refresh();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the API server is busy during the storm: keep the current forwards, try again
                }
            }
        });
    }

    private void refresh() {
        List<Pod> ready = registry.readyPods();
        Set<String> names = ready.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        forwards.keySet().stream().filter(n -> !names.contains(n)).toList().forEach(n -> closeQuietly(forwards.remove(n)));
        for (String pod : names) {
            forwards.computeIfAbsent(pod, n -> registry.client().pods().inNamespace(registry.namespace()).withName(n)
                    .portForward(5000));
        }
    }

    /** Base URL of one of the ready pods, round robin. */
    String baseUrl() {
        List<LocalPortForward> current = List.copyOf(forwards.values());
        if (current.isEmpty()) {
            return NOWHERE;
        }
        return "http://127.0.0.1:" + current.get(Math.floorMod(next.getAndIncrement(), current.size())).getLocalPort();
    }

    private static void closeQuietly(LocalPortForward forward) {
        if (forward == null) {
            return;
        }
        try {
            forward.close();
        } catch (IOException ignored) {
            // the pod is gone already
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        refresher.interrupt();
        refresher.join(5_000);
        forwards.values().forEach(PodPortForwards::closeQuietly);
        forwards.clear();
    }
}
