package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.control.agent.HttpPodAgentClient;
import io.regfleet.control.rebalance.FleetPod;
import io.regfleet.fleet.CollectorReport;
import io.regfleet.operator.api.v1alpha1.GarbageCollectionStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.naming.FleetNames;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The garbage collectors of a Registry's pods, read from their agents ({@code GET /fleet/collector}, in parallel, with
 * the agent token) and summed ({@link CollectorSummary}). Read at most every
 * {@code regfleet.operator.collector-status-interval} per Registry: the reconciler asks at every reconciliation.
 */
@ApplicationScoped
public class CollectorReports {
    private static final Logger LOG = Logger.getLogger(CollectorReports.class);

    private final KubernetesClient client;
    private final OperatorConfig config;
    /** When each Registry (namespace/name) was last read: only a throttle (an entry per Registry ever seen, a few bytes). */
    private final Map<String, Instant> lastRead = new ConcurrentHashMap<>();

    public CollectorReports(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.config = config;
    }

    /** The pods' summary now; empty when read too recently, or when no pod answered (status keeps the last one). */
    public Optional<GarbageCollectionStatus> read(Registry registry, Instant now) {
        String key = FleetRebalancers.key(registry);
        Instant last = lastRead.get(key);
        if (last != null && now.isBefore(last.plus(config.collectorStatusInterval()))) {
            return Optional.empty();
        }
        lastRead.put(key, now);
        String namespace = registry.getMetadata().getNamespace();
        List<FleetPod> pods;
        try {
            pods = new KubernetesPodDiscovery(client, namespace, FleetNames.selectorLabels(registry)).pods();
        } catch (IOException e) {
            LOG.debugf("%s: cannot list the pods for their collector reports: %s", key, e.getMessage());
            return Optional.empty();
        }
        if (pods.isEmpty()) {
            return Optional.empty();
        }
        AgentToken token = new AgentToken(client, namespace, FleetNames.agentTokenSecret(registry));
        HttpPodAgentClient agents = new HttpPodAgentClient(token, config.rebalance().agentTimeout());
        List<CollectorReport> reports = new ArrayList<>();
        try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<CollectorReport>> answers = pods.stream().map(pod -> calls.submit(() -> agents.collector(pod))).toList();
            for (Future<CollectorReport> answer : answers) {
                try {
                    reports.add(answer.get());
                } catch (ExecutionException e) { // a pod that does not answer is left out, as the rebalancer leaves it
                    LOG.debugf("%s: a collector report failed: %s", key, e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return CollectorSummary.of(reports);
    }
}
