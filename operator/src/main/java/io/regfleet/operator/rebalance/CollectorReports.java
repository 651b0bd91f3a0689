package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.control.agent.HttpPodAgentClient;
import io.regfleet.fleet.CollectorReport;
import io.regfleet.operator.api.v1alpha1.GarbageCollectionStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

/**
 * The garbage collectors of a Registry's pods, read from their agents ({@code GET /fleet/collector}) and summed
 * ({@link CollectorSummary}). Read at most every {@code regfleet.operator.collector-status-interval} per Registry: the
 * reconciler asks at every reconciliation.
 */
@ApplicationScoped
public class CollectorReports {
    private final KubernetesClient client;
    private final OperatorConfig config;
    private final PodAgentPoll<CollectorReport> poll = new PodAgentPoll<>("collector report", HttpPodAgentClient::collector);

    public CollectorReports(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.config = config;
    }

    /** The pods' summary now; empty when read too recently, or when no pod answered (status keeps the last one). */
    public Optional<GarbageCollectionStatus> read(Registry registry, Instant now) {
        return poll.ask(client, config.rebalance().agentTimeout(), registry, now, config.collectorStatusInterval())
                .flatMap(CollectorSummary::of);
    }
}
