package io.regfleet.operator.replica;

import java.util.List;
import java.util.Optional;

/**
 * The read replicas of one reconciliation's plan: each one's budget, and what the serving pods get (the replicas
 * that fit, each pod's pool on each of them, the lag beyond which they are quarantined).
 *
 * @param replicas every replica the spec names, in its order
 * @param maxLag   spec.database.replicaMaxLag, as the runtime reads it
 */
public record ReadReplicaPlan(List<ReplicaOutcome> replicas, String maxLag) {
    /** No read replicas configured. */
    public static final ReadReplicaPlan NONE = new ReadReplicaPlan(List.of(), null);

    public ReadReplicaPlan {
        replicas = List.copyOf(replicas);
    }

    public boolean configured() {
        return !replicas.isEmpty();
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

    /** The first replica without room for every pod, if one. */
    public Optional<ReplicaOutcome> withoutRoom() {
        return replicas.stream().filter(r -> r.state() == ReplicaOutcome.State.NO_ROOM).findFirst();
    }
}
