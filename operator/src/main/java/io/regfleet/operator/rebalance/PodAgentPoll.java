package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.control.agent.HttpPodAgentClient;
import io.regfleet.control.rebalance.FleetPod;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
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
 * One question to the agents of a Registry's answering pods (in parallel, with the agent token), at most every
 * {@code every} per Registry: a reconciliation asks each time, and status keeps the last answers in between.
 */
final class PodAgentPoll<T> {
    private static final Logger LOG = Logger.getLogger(PodAgentPoll.class);

    /** The question, asked of one pod. */
    interface Question<T> {
        T ask(HttpPodAgentClient agent, FleetPod pod) throws IOException;
    }

    private final String what;
    private final Question<T> question;
    /** When each Registry (namespace/name) was last asked: only a throttle (an entry per Registry ever seen, a few bytes). */
    private final Map<String, Instant> lastAsked = new ConcurrentHashMap<>();

    /** @param what what the answers are, for the log */
    PodAgentPoll(String what, Question<T> question) {
        this.what = what;
        this.question = question;
    }

    /**
     * The answers of the pods that answered; empty when asked too recently, when no pod answered, or when the pods
     * could not be listed (a pod that does not answer is left out, as the rebalancer leaves it out).
     */
    Optional<List<T>> ask(KubernetesClient client, Duration agentTimeout, Registry registry, Instant now, Duration every) {
        String key = FleetRebalancers.key(registry);
        Instant last = lastAsked.get(key);
        if (last != null && now.isBefore(last.plus(every))) {
            return Optional.empty();
        }
        lastAsked.put(key, now);
        String namespace = registry.getMetadata().getNamespace();
        List<FleetPod> pods;
        try {
            pods = new KubernetesPodDiscovery(client, namespace, FleetNames.selectorLabels(registry)).pods();
        } catch (IOException e) {
            LOG.debugf("%s: cannot list the pods for their %s: %s", key, what, e.getMessage());
            return Optional.empty();
        }
        if (pods.isEmpty()) {
            return Optional.empty();
        }
        HttpPodAgentClient agents = new HttpPodAgentClient(new AgentToken(client, namespace, FleetNames.agentTokenSecret(registry)),
                agentTimeout);
        List<T> answers = new ArrayList<>();
        try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> asked = pods.stream().map(pod -> calls.submit(() -> question.ask(agents, pod))).toList();
            for (Future<T> answer : asked) {
                try {
                    answers.add(answer.get());
                } catch (ExecutionException e) {
                    LOG.debugf("%s: a pod's %s failed: %s", key, what, e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return answers.isEmpty() ? Optional.empty() : Optional.of(answers);
    }
}
