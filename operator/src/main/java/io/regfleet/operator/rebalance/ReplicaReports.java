package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.control.agent.HttpPodAgentClient;
import io.regfleet.fleet.ReplicaReport;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.replica.ReplicaSightings;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each read replica as a Registry's pods see it, read from their agents ({@code GET /fleet/replicas}) at most every
 * {@code regfleet.operator.replica-status-interval} per Registry, and only for a Registry with read replicas.
 */
@ApplicationScoped
public class ReplicaReports {
    private final KubernetesClient client;
    private final OperatorConfig config;
    private final PodAgentPoll<List<ReplicaReport>> poll = new PodAgentPoll<>("replica reports", HttpPodAgentClient::replicas);

    public ReplicaReports(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.config = config;
    }

    /** By replica; empty when not read this time (none configured, read too recently, no pod answered). */
    public Optional<Map<String, ReplicaSightings>> read(Registry registry, Instant now) {
        if (registry.getSpec().database.readReplicasOrNone().isEmpty()) {
            return Optional.empty();
        }
        return poll.ask(client, config.rebalance().agentTimeout(), registry, now, config.replicaStatusInterval())
                .map(ReplicaSightings::of);
    }
}
