package io.regfleet.operator.replica;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.regfleet.control.share.ReplicaShares.ReplicaClaim;
import io.regfleet.fleet.PodSetting;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pools a Registry's pods have on its read replicas, from their environment: each existing pod's (terminating
 * ones included, they hold their pools until gone) and what its Deployment gives new pods, each at the most its pool
 * may reach there: fixed for the pod's life, or, rebalanced, its ceiling. This, not what the pods hold now, is what a
 * replica's shares must count for pools that are not rebalanced (rebalanced ones are counted at their part).
 *
 * @param pods     each existing pod's pool by replica ({@code host:port})
 * @param template the pool by replica new pods get from the Deployment as it is now
 */
public record ReplicaPods(List<Map<String, Integer>> pods, Map<String, Integer> template) {
    public static final ReplicaPods NONE = new ReplicaPods(List.of(), Map.of());

    public ReplicaPods {
        pods = List.copyOf(pods);
        template = Map.copyOf(template);
    }

    public static ReplicaPods of(List<Pod> pods, Deployment deployment) {
        Map<String, Integer> template = Optional.ofNullable(deployment).map(d -> d.getSpec().getTemplate().getSpec().getContainers())
                .map(ReplicaPods::pools).orElse(Map.of());
        return new ReplicaPods(pods.stream().map(p -> pools(p.getSpec().getContainers())).toList(), template);
    }

    /**
     * The replica pools a pod's containers are given: every replica it reads from, at the most one may be raised to
     * (its ceiling; its starting size without one).
     */
    static Map<String, Integer> pools(List<Container> containers) {
        Map<String, String> env = new HashMap<>();
        containers.stream().filter(c -> c.getEnv() != null).flatMap(c -> c.getEnv().stream())
                .filter(e -> e.getValue() != null).forEach(e -> env.putIfAbsent(e.getName(), e.getValue()));
        String replicas = env.get(PodSetting.DB_READ_REPLICAS.env());
        String size = env.get(PodSetting.POOL_REPLICA_MAX_SIZE.env());
        if (replicas == null || replicas.isBlank() || size == null || !size.matches("\\d{1,6}")) {
            return Map.of();
        }
        // a pod started with rebalanced pools may be raised up to its ceiling: what it may hold once they no longer are
        String ceiling = env.get(PodSetting.POOL_REPLICA_CEILING.env());
        int pool = Math.max(Integer.parseInt(size), ceiling != null && ceiling.matches("\\d{1,6}") ? Integer.parseInt(ceiling) : 0);
        // distinct: a hand-edited Deployment may name a replica twice, which must not fail the reconciliation
        return Arrays.stream(replicas.split(",")).map(String::trim).filter(r -> !r.isEmpty()).distinct()
                .collect(Collectors.toMap(r -> r, r -> pool));
    }

    /** The Registry's claim on a replica, with what its pods have there. */
    public ReplicaClaim claim(String key, String name, String address, int specReserved, int podsCounted, int perPodMaximum) {
        int current = template.getOrDefault(address, 0);
        List<Integer> onIt = pods.stream().map(p -> p.getOrDefault(address, 0)).filter(pool -> pool > 0).toList();
        int currentPods = (int) onIt.stream().filter(pool -> pool == current).count();
        List<Integer> old = onIt.stream().filter(pool -> pool != current).toList();
        return new ReplicaClaim(key, name, address, specReserved, podsCounted, perPodMaximum, current, currentPods,
                old.stream().mapToInt(Integer::intValue).max().orElse(0), old.size(), pods.size());
    }

    /** The replicas ({@code host:port}) some existing pod has a pool on. */
    public Set<String> inUse() {
        return pods.stream().flatMap(p -> p.keySet().stream()).filter(Objects::nonNull).collect(Collectors.toSet());
    }
}
