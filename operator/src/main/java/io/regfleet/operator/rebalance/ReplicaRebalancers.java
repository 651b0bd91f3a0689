package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.control.agent.HttpPodAgentClient;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PoolPolicy;
import io.regfleet.control.rebalance.RebalanceLoop;
import io.regfleet.control.rebalance.Rebalancer;
import io.regfleet.operator.api.v1alpha1.ReadReplicaStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;
import io.regfleet.operator.replica.ReadReplicaPlan;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One rebalancer per served read replica of each Registry whose pools are rebalanced, beside its primary's
 * ({@link FleetRebalancers} starts and stops them with it): the same rounds, two phases and invariant, through the
 * agents' replica-scoped calls, within the Registry's part of that replica as the last reconciliation planned it
 * ({@link ReadReplicaPlan#limits}), without touching the workers. Each records its pods in the replica's
 * status.readReplicas entry and is seeded from it after a restart. A replica no longer served, or pools no longer
 * rebalanced, stops its rebalancer.
 */
final class ReplicaRebalancers {
    private static final Logger LOG = Logger.getLogger(ReplicaRebalancers.class);
    private static final Duration CONFIRM_POLL = Duration.ofMillis(100);

    /** A replica's rebalancer and the limits each reconciliation feeds it (null: skip rounds). */
    private record Running(AtomicReference<FleetLimits> limits, RebalanceLoop loop) {
    }

    private final KubernetesClient client;
    private final OperatorConfig config;
    /** By Registry (namespace/name), then by replica ({@code host:port}). */
    private final Map<String, Map<String, Running>> running = new ConcurrentHashMap<>();

    ReplicaRebalancers(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Runs a rebalancer for each replica the plan rebalances, with its limits; stops the others of the Registry. */
    synchronized void follow(Registry registry, RegistryPlan plan) {
        String key = FleetRebalancers.key(registry);
        ReadReplicaPlan replicas = plan.readReplicas();
        Set<String> wanted = replicas.rebalanced() ? Set.copyOf(replicas.served()) : Set.of();
        Map<String, Running> mine = running.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        for (String replica : List.copyOf(mine.keySet())) {
            if (!wanted.contains(replica)) {
                mine.remove(replica).loop().close();
                LOG.infof("%s: rebalancer of read replica %s stopped", key, replica);
            }
        }
        for (String replica : wanted) {
            FleetLimits limits = replicas.limits(replica).orElse(null);
            Running r = mine.get(replica);
            if (r != null) {
                r.limits().set(limits);
            } else {
                mine.put(replica, start(registry, replica, limits));
            }
        }
    }

    private Running start(Registry registry, String replica, FleetLimits initial) {
        String key = FleetRebalancers.key(registry);
        String namespace = registry.getMetadata().getNamespace();
        String name = registry.getMetadata().getName();
        OperatorConfig.Rebalance settings = config.rebalance();
        AgentToken token = new AgentToken(client, namespace, FleetNames.agentTokenSecret(registry));
        var agents = new TokenRefreshingAgentClient(new HttpPodAgentClient(token, settings.agentTimeout()).forReplica(replica), token);
        AtomicReference<FleetLimits> limits = new AtomicReference<>(initial);
        String fleet = key + "@" + replica;
        Rebalancer rebalancer = new Rebalancer(fleet, new KubernetesPodDiscovery(client, namespace, FleetNames.selectorLabels(registry)),
                agents, limits::get, new PoolPolicy(PoolPolicy.Tuning.DEFAULT),
                new Rebalancer.Settings(settings.shrinkTimeout(), CONFIRM_POLL, RegistryPlan.podsDrain(settings)).forReplica(),
                Clock.systemUTC());
        rebalancer.seed(seed(registry, replica));
        rebalancer.addListener(AllocationStatusWriter.forReplica(client, namespace, name, replica));
        LOG.infof("%s: rebalancer of read replica %s started (every %s, %s)", key, replica, settings.interval(), initial);
        return new Running(limits, new RebalanceLoop(fleet, rebalancer, settings.interval()));
    }

    /** The pools its status recorded on the replica: what its rebalancer counts a silent pod at after a restart. */
    static Map<String, Integer> seed(Registry registry, String replica) {
        List<ReadReplicaStatus> entries = registry.recordedReadReplicas();
        return FleetRebalancers.seed(entries.stream().filter(e -> replica.equals(e.replica) && e.allocations != null)
                .findFirst().map(e -> e.allocations).orElse(List.of()));
    }

    /** Stops every replica rebalancer of the Registry. */
    synchronized void stop(String key) {
        Map<String, Running> mine = running.remove(key);
        if (mine != null) {
            mine.values().forEach(r -> r.loop().close());
        }
    }

    /** The replicas of the Registry whose rebalancer runs (tests, diagnostics). */
    Set<String> running(String key) {
        return Set.copyOf(running.getOrDefault(key, Map.of()).keySet());
    }
}
