package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.plan.RegistryPlan;
import io.regfleet.operator.replica.ReadReplicaPlan;

import java.util.List;

/**
 * The serving pods' read-replica settings: the replicas that fit their budget ({@code host:port}, comma-separated),
 * the pool maximum each of a pod's replica pools starts with (the floor, when a replica rebalancer moves them) and the
 * most an allocation may give one, and the lag beyond which a pod stops reading from one. In the
 * container's env, not the runtime ConfigMap: the migration and verify Jobs share that and use the primary only.
 * The env is in the pod template, so a change (a replica added or removed, a pool resized) rolls the pods.
 */
final class ReadReplicaEnv {
    private ReadReplicaEnv() {
    }

    static List<EnvVar> of(RegistryPlan plan) {
        ReadReplicaPlan replicas = plan.readReplicas();
        List<String> served = replicas.served();
        if (served.isEmpty()) {
            return List.of();
        }
        return List.of(
                RegistryPods.env(PodSetting.DB_READ_REPLICAS, String.join(",", served)),
                RegistryPods.env(PodSetting.POOL_REPLICA_MAX_SIZE, Integer.toString(replicas.startingPool().orElseThrow())),
                RegistryPods.env(PodSetting.POOL_REPLICA_CEILING, Integer.toString(replicas.poolCeiling().orElseThrow())),
                RegistryPods.env(PodSetting.DB_REPLICA_MAX_LAG, replicas.maxLag()));
    }
}
