package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.regfleet.control.agent.HttpPodAgentClient;
import io.regfleet.control.metrics.RebalanceMetrics;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PodDiscovery;
import io.regfleet.control.rebalance.PoolPolicy;
import io.regfleet.control.rebalance.RebalanceLoop;
import io.regfleet.control.rebalance.Rebalancer;
import io.regfleet.operator.api.v1alpha1.PodAllocationStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;
import io.regfleet.operator.share.RegistryShares;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One rebalancer per Registry (keyed namespace/name), started by the reconciler's first {@link #ensure}. Each runs its
 * rounds on its own thread and records them (status, events, metrics). Its limits are the Registry's share of its
 * server, read at each round from {@link RegistryShares} and reported back to it; behind PgBouncer they are the pods'
 * share of its client limit, fed by every reconciliation. It stops when the Registry is gone (checked every round:
 * there is no finalizer to tell), when the reconciler stops it (rebalancing off, prerequisites unusable) and at shutdown.
 * Beside it run its read replicas' rebalancers ({@link ReplicaRebalancers}), started and stopped with it.
 */
@ApplicationScoped
public class FleetRebalancers {
    private static final Logger LOG = Logger.getLogger(FleetRebalancers.class);
    private static final Duration CONFIRM_POLL = Duration.ofMillis(100);
    /**
     * A running rebalancer and what it is fed.
     *
     * @param pooled the pods' share of PgBouncer's client limit, set by each reconciliation; null: the server's share
     */
    record Running(String uid, AtomicReference<FleetLimits> pooled, Rebalancer rebalancer, RebalanceLoop loop,
                   RebalanceMetrics metrics) {
        void close() {
            loop.close();
            metrics.close();
        }
    }

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final MeterRegistry meters;
    private final RegistryShares shares;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ReplicaRebalancers replicas;

    public FleetRebalancers(KubernetesClient client, OperatorConfig config, MeterRegistry meters, RegistryShares shares) {
        this.client = client;
        this.config = config;
        this.meters = meters;
        this.shares = shares;
        this.replicas = new ReplicaRebalancers(client, config);
    }

    public static String key(Registry registry) {
        return FleetNames.key(registry);
    }

    /** Runs the Registry's rebalancer with the plan's limits while its spec asks for rebalancing; stops it otherwise. */
    public void follow(Registry registry, RegistryPlan plan) {
        if (registry.getSpec().rebalancingOrDefault().active()) {
            ensure(registry, plan);
            replicas.follow(registry, plan);
        } else {
            stop(key(registry));
        }
    }

    /** Starts the Registry's rebalancer if it does not run yet; behind PgBouncer, gives it the plan's limits. */
    void ensure(Registry registry, RegistryPlan plan) {
        String key = key(registry);
        String uid = registry.getMetadata().getUid();
        boolean pooled = plan.pooler() != null;
        Running current = running.get(key);
        if (current != null && (!Objects.equals(current.uid(), uid) || (current.pooled() != null) != pooled)) {
            stop(key); // the Registry was deleted and created again under the same name, or a pooler came or went
            current = null;
        }
        FleetLimits limits = plan.fleet().limits().orElse(null); // null: no pod fits, rounds are skipped
        if (current != null) {
            if (pooled) {
                current.pooled().set(limits);
            }
            return;
        }
        running.computeIfAbsent(key, k -> start(registry, pooled ? new AtomicReference<>(limits) : null));
    }

    /** Stops the Registry's rebalancer, if any; its last allocations stay in status for the next one to seed from. */
    public void stop(String key) {
        replicas.stop(key);
        Running r = running.remove(key);
        if (r != null) {
            r.close();
            LOG.infof("%s: rebalancer stopped", key);
        }
    }

    /** The limits the Registry's rebalancer shares out now (empty when it does not run, or no pod fits). */
    public Optional<FleetLimits> limits(String key) {
        return Optional.ofNullable(running.get(key)).flatMap(r -> r.pooled() != null ? Optional.ofNullable(r.pooled().get())
                : shares.current(key).flatMap(shared -> shared.plan().limits()));
    }

    public boolean isRunning(String key) {
        return running.containsKey(key);
    }

    /** The read replicas ({@code host:port}) of the Registry whose rebalancer runs. */
    public java.util.Set<String> replicasRebalanced(String key) {
        return replicas.running(key);
    }

    private Running start(Registry registry, AtomicReference<FleetLimits> pooled) {
        String key = key(registry);
        String namespace = registry.getMetadata().getNamespace();
        String name = registry.getMetadata().getName();
        String uid = registry.getMetadata().getUid();
        OperatorConfig.Rebalance settings = config.rebalance();
        AgentToken token = new AgentToken(client, namespace, FleetNames.agentTokenSecret(registry));
        var agents = new TokenRefreshingAgentClient(new HttpPodAgentClient(token, settings.agentTimeout()), token);
        PodDiscovery pods = new KubernetesPodDiscovery(client, namespace, FleetNames.selectorLabels(registry));
        PodDiscovery discovery = () -> {
            if (stoppingIfGone(namespace, name, key, uid)) {
                throw new IOException("the Registry is gone");
            }
            return pods.pods();
        };
        Duration goneGrace = RegistryPlan.podsDrain(settings);
        Supplier<FleetLimits> granted = pooled != null ? pooled::get : () -> shares.issue(key);
        Supplier<FleetLimits> limits = () -> {
            FleetLimits now = granted.get();
            if (now == null) { // no round, so no discovery to notice a deleted Registry: asked here
                try {
                    stoppingIfGone(namespace, name, key, uid);
                } catch (IOException unknown) {
                    LOG.debugf("%s: %s; asked again next round", key, unknown.getMessage());
                }
            }
            return now;
        };
        Rebalancer rebalancer = new Rebalancer(key, discovery, agents, limits, new PoolPolicy(PoolPolicy.Tuning.DEFAULT),
                new Rebalancer.Settings(settings.shrinkTimeout(), CONFIRM_POLL, goneGrace), Clock.systemUTC());
        rebalancer.seed(seed(registry));
        if (pooled == null) {
            rebalancer.addListener(report -> shares.reported(key, report)); // the server counts what its rounds commit
        }
        var status = registry.getStatus();
        rebalancer.addListener(new AllocationStatusWriter(client, namespace, name, status == null ? null : status.rebalance));
        rebalancer.addListener(new AllocationEvents(client, registry));
        RebalanceMetrics metrics = new RebalanceMetrics(meters, namespace, name);
        rebalancer.addListener(metrics);
        LOG.infof("%s: rebalancer started (every %s, %s)", key, settings.interval(),
                pooled != null ? "PgBouncer's client limit " + pooled.get() : "its share of the server");
        return new Running(uid, pooled, rebalancer, new RebalanceLoop(key, rebalancer, settings.interval()), metrics);
    }

    /** Last known pool maxima of the primary's pools, from status.allocations ({@link #seed(List)}). */
    static Map<String, Integer> seed(Registry registry) {
        return seed(registry.getStatus() == null ? null : registry.getStatus().allocations);
    }

    /**
     * Last known pool maxima from status (status.allocations, or a replica's): a pod that does not answer after an
     * operator restart counts at these.
     */
    static Map<String, Integer> seed(List<PodAllocationStatus> allocations) {
        Map<String, Integer> seed = new TreeMap<>();
        if (allocations != null) {
            for (PodAllocationStatus a : allocations) {
                Integer counted = a.counted != null ? a.counted : a.poolMaxSize;
                if (a.pod != null && counted != null) {
                    seed.put(a.pod, counted);
                }
            }
        }
        return seed;
    }

    /** When the Registry is gone, its rebalancer is stopped (from another thread: stopping waits for this one). */
    private boolean stoppingIfGone(String namespace, String name, String key, String uid) throws IOException {
        if (exists(namespace, name, uid)) {
            return false;
        }
        Thread.ofVirtual().start(() -> stopIfSame(key, uid));
        return true;
    }

    private boolean exists(String namespace, String name, String uid) throws IOException {
        try {
            Registry current = client.resources(Registry.class).inNamespace(namespace).withName(name).get();
            return current != null && Objects.equals(current.getMetadata().getUid(), uid);
        } catch (KubernetesClientException e) {
            throw new IOException("cannot read the Registry: " + e.getMessage(), e);
        }
    }

    private void stopIfSame(String key, String uid) {
        Running r = running.get(key);
        if (r != null && Objects.equals(r.uid(), uid) && running.remove(key, r)) {
            replicas.stop(key);
            r.close();
            LOG.infof("%s: the Registry is gone, rebalancer stopped", key);
        }
        shares.gone(key, uid);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopAll();
    }

    @PreDestroy
    void stopAll() {
        for (String key : List.copyOf(running.keySet())) {
            stop(key);
        }
    }
}
