package io.regfleet.operator.replica;

import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.ReplicaLimits;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The read replicas of one reconciliation's plan: each one's budget, and what the serving pods get (the replicas
 * that fit, each pod's pool on each of them, the lag beyond which they are quarantined).
 *
 * @param replicas      every replica the spec names, in its order
 * @param maxLag        spec.database.replicaMaxLag, as the runtime reads it
 * @param startFloor    the primary's floor when the Registry's pools are rebalanced: the pods then start each replica
 *                      pool at a floor (this one, lowered to fit every replica) and a replica rebalancer moves it by
 *                      demand within the Registry's part of that replica; 0 when they are not (a fixed pool each)
 * @param perPodMaximum spec.connectionsPerPod.maximum: no replica pool grows beyond it
 */
public record ReadReplicaPlan(List<ReplicaOutcome> replicas, String maxLag, int startFloor, int perPodMaximum) {
    /** No read replicas configured. */
    public static final ReadReplicaPlan NONE = new ReadReplicaPlan(List.of(), null);

    public ReadReplicaPlan {
        replicas = List.copyOf(replicas);
    }

    /** Pools fixed for the pods' life: each the smallest of the served replicas' per-pod pools. */
    public ReadReplicaPlan(List<ReplicaOutcome> replicas, String maxLag) {
        this(replicas, maxLag, 0, Integer.MAX_VALUE);
    }

    public boolean configured() {
        return !replicas.isEmpty();
    }

    /** Whether each served replica's pools are moved by demand (a replica rebalancer each). */
    public boolean rebalanced() {
        return startFloor > 0;
    }

    /** The replicas the pods get a pool on, {@code host:port}. */
    public List<String> served() {
        return replicas.stream().filter(ReplicaOutcome::served).map(ReplicaOutcome::replica).toList();
    }

    /**
     * The pool maximum of each of a pod's replica pools: one setting for all of them, so the smallest of the served
     * replicas' per-pod pools (each replica's pools then stay within its own budget). Empty when none is served.
     */
    public Optional<Integer> poolMax() {
        return replicas.stream().filter(ReplicaOutcome::served).map(r -> r.budget().perPodPool()).min(Integer::compare);
    }

    /**
     * What each replica pool of a pod starts with ({@code POOL_REPLICA_MAX_SIZE}): rebalanced, the floor that fits every
     * served replica's part; else {@link #poolMax()}. Empty when none is served.
     */
    public Optional<Integer> startingPool() {
        return rebalanced() ? boxed(ReplicaLimits.floor(limits())) : poolMax();
    }

    /**
     * The most an allocation may give a pod's replica pool ({@code POOL_REPLICA_CEILING}): rebalanced, the largest of
     * the served replicas' ceilings (each replica's rebalancer keeps within its own); else {@link #poolMax()}.
     */
    public Optional<Integer> poolCeiling() {
        return rebalanced() ? boxed(ReplicaLimits.ceiling(limits())) : poolMax();
    }

    /**
     * The limits of the replica's rebalancer: the Registry's part of it (what it is counted at there) for every pod
     * that can exist, from the common floor; empty when its pools are not rebalanced or it is not served.
     */
    public Optional<FleetLimits> limits(String replica) {
        return Optional.ofNullable(limits().get(replica));
    }

    /** Every served replica's rebalancer limits (none when the pools are not rebalanced). */
    private Map<String, FleetLimits> limits() {
        if (!rebalanced()) {
            return Map.of();
        }
        Map<String, Integer> parts = new LinkedHashMap<>();
        replicas.stream().filter(ReplicaOutcome::served).forEach(r -> parts.put(r.replica(), part(r)));
        int slots = replicas.stream().filter(ReplicaOutcome::served).mapToInt(r -> r.budget().podsCounted()).max().orElse(0);
        return ReplicaLimits.of(parts, slots, startFloor, perPodMaximum);
    }

    private static Optional<Integer> boxed(OptionalInt value) {
        return value.isPresent() ? Optional.of(value.getAsInt()) : Optional.empty();
    }

    /** What the Registry is counted at on the replica: its claim this time, else the pools of its recorded budget. */
    private static int part(ReplicaOutcome r) {
        return r.share() != null ? r.share().counted() : r.budget().allocatedTotal();
    }

    /** The first replica without room for every pod, if one. */
    public Optional<ReplicaOutcome> withoutRoom() {
        return replicas.stream().filter(r -> r.state() == ReplicaOutcome.State.NO_ROOM).findFirst();
    }
}
