package io.regfleet.fleet.local;

import io.regfleet.control.agent.HttpPodAgentClient;
import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PoolPolicy;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceLoop;
import io.regfleet.control.rebalance.Rebalancer;
import io.regfleet.control.rebalance.ReplicaLimits;
import io.regfleet.control.share.SharedFleet;
import io.regfleet.fleet.PodSetting;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A fleet's running parts: its replicas (each starting at the plan's floor of the moment), the front address over
 * them, the rebalancer that reads the fleet's share of the server each round and reports back to it, and one
 * rebalancer per read replica, sharing the fleet's part of that standby by demand (the pods' replica pools start at
 * a floor that fits every standby's part).
 */
final class FleetRun implements AutoCloseable {
    private final ReplicaSet replicas;
    private final FrontProxy front;
    private final StaticPodDiscovery discovery;
    private final Rebalancer rebalancer;
    private final RebalanceLoop loop;
    /** By read replica ({@code host:port}); empty without them or without rebalancing. */
    private final Map<String, ReplicaRebalancing> replicaRebalancers = new LinkedHashMap<>();
    private final List<RebalanceLoop> replicaLoops = new ArrayList<>();

    private FleetRun(ReplicaSet replicas, FrontProxy front, StaticPodDiscovery discovery, Rebalancer rebalancer,
                     RebalanceLoop loop) {
        this.replicas = replicas;
        this.front = front;
        this.discovery = discovery;
        this.rebalancer = rebalancer;
        this.loop = loop;
    }

    /**
     * @param store the properties of its database and blobs
     * @param plan  its plan now (the floor a replica starts at)
     * @param told  told about every round from the first
     * @param replicaParts by read replica ({@code host:port}), what the fleet's pods may hold there together
     */
    static FleetRun start(FleetOptions options, String registry, int index, FleetHome home, Map<String, String> store,
                          Supplier<FleetPlan> plan, SharedFleet shared, RebalanceListener told, Map<String, Integer> replicaParts) {
        FleetHome.AgentTokenFile token = home.writeAgentToken();
        Map<String, String> common = new java.util.LinkedHashMap<>(store);
        common.put(PodSetting.REGISTRY_NAME.property(), registry);
        common.put(PodSetting.AGENT_TOKEN_FILE.property(), token.file().toString());
        common.put(PodSetting.AGENT_WINDOW.property(), options.agentWindow().toString());
        Map<String, FleetLimits> replicaLimits = options.rebalance()
                ? ReplicaLimits.of(replicaParts, options.maxReplicas(), plan.get().startingPoolMax(), options.poolMaximum())
                : Map.of();
        if (!replicaLimits.isEmpty()) {
            common.put(PodSetting.POOL_REPLICA_MAX_SIZE.property(), Integer.toString(ReplicaLimits.floor(replicaLimits).getAsInt()));
            common.put(PodSetting.POOL_REPLICA_CEILING.property(), Integer.toString(ReplicaLimits.ceiling(replicaLimits).getAsInt()));
        }
        common.putAll(options.extraProperties());
        ReplicaSet replicas = new ReplicaSet(common, () -> starting(plan.get()), home.logs());
        List<Replica> first = new ArrayList<>();
        for (int i = 0; i < options.replicas(); i++) {
            first.add(replicas.start());
        }
        try {
            ReplicaSet.awaitReady(first);
        } catch (RuntimeException e) {
            replicas.stopAll();
            throw e;
        }
        int port = options.frontPort() == 0 ? 0 : options.frontPort() + index - 1;
        FrontProxy front = FrontProxy.start(port, first.stream().map(Replica::apiAddress).toList());
        StaticPodDiscovery discovery = new StaticPodDiscovery(first.stream().map(Replica::pod).toList());
        if (!options.rebalance()) {
            return new FleetRun(replicas, front, discovery, null, null);
        }
        HttpPodAgentClient agents = new HttpPodAgentClient(token::token, Duration.ofSeconds(2));
        Rebalancer rebalancer = new Rebalancer(registry, discovery, agents, shared.rebalancerLimits(),
                new PoolPolicy(PoolPolicy.Tuning.DEFAULT), Rebalancer.Settings.DEFAULT, Clock.systemUTC());
        rebalancer.addListener(shared);
        rebalancer.addListener(told);
        FleetRun run = new FleetRun(replicas, front, discovery, rebalancer, new RebalanceLoop(registry, rebalancer, options.interval()));
        replicaLimits.forEach((replica, limits) -> {
            String name = registry + "@" + replica;
            Rebalancer onReplica = new Rebalancer(name, discovery, agents.forReplica(replica), () -> limits,
                    new PoolPolicy(PoolPolicy.Tuning.DEFAULT), Rebalancer.Settings.DEFAULT.forReplica(), Clock.systemUTC());
            run.replicaRebalancers.put(replica, new ReplicaRebalancing(limits, onReplica));
            run.replicaLoops.add(new RebalanceLoop(name, onReplica, options.interval()));
        });
        return run;
    }

    /** The pool and workers a replica starts with: the plan's floor now. */
    private static Map<String, String> starting(FleetPlan now) {
        return Map.of(PodSetting.POOL_MAX_SIZE.property(), Integer.toString(now.startingPoolMax()),
                PodSetting.WORKERS_LIMIT.property(), Integer.toString(now.startingWorkers()));
    }

    ReplicaSet replicas() {
        return replicas;
    }

    FrontProxy front() {
        return front;
    }

    Rebalancer rebalancer() {
        return rebalancer;
    }

    /** Each read replica's rebalancer and limits, by {@code host:port}. */
    Map<String, ReplicaRebalancing> replicaRebalancers() {
        return Map.copyOf(replicaRebalancers);
    }

    void addListener(RebalanceListener listener) {
        if (rebalancer != null) {
            rebalancer.addListener(listener);
        }
    }

    /** One more replica, ready, in the rebalancer's list and behind the front address. */
    Replica add() {
        Replica replica = replicas.startReady();
        discovery.add(replica.pod());
        front.add(replica.apiAddress());
        return replica;
    }

    /** The rebalancers first (nothing changes while the fleet goes), then the front and the replicas. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>(replicaLoops);
        parts.add(loop); // the rebalancers first (nothing changes while the fleet goes)
        parts.add(front);
        parts.add(replicas::stopAll);
        Closer.closeAll(parts.toArray(AutoCloseable[]::new));
    }
}
