package io.regfleet.control.rebalance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SequencedMap;

/**
 * The limits of a fleet's rebalancers on its read replicas, one per replica ({@link FleetLimits#ofReplica}), from
 * one floor for all of them: a pod is given one starting size for every replica pool, so the floor is the start
 * floor lowered until it fits every replica's part.
 */
public final class ReplicaLimits {
    private ReplicaLimits() {
    }

    /**
     * @param parts         by replica ({@code host:port}), what the fleet's pods may hold there together
     * @param slots         the pods that can exist at once
     * @param startFloor    the floor the pools would start at (the primary's, say)
     * @param perPodMaximum the most one pod's pool may get on any replica
     * @return by replica, in the order given; a replica without one connection per slot is left out
     */
    public static SequencedMap<String, FleetLimits> of(Map<String, Integer> parts, int slots, int startFloor, int perPodMaximum) {
        // the replicas with a connection per slot: the others are left out and do not lower it
        int floor = parts.values().stream().filter(part -> slots > 0 && part >= slots).mapToInt(part -> part / slots)
                .reduce(Math.max(1, startFloor), Math::min);
        SequencedMap<String, FleetLimits> limits = new LinkedHashMap<>();
        for (var part : parts.entrySet()) {
            FleetLimits.ofReplica(part.getValue(), slots, floor, perPodMaximum).ifPresent(l -> limits.put(part.getKey(), l));
        }
        return Collections.unmodifiableSequencedMap(limits);
    }

    /** The pool every replica pool of a pod starts with; empty limits: none. */
    public static OptionalInt floor(Map<String, FleetLimits> limits) {
        return limits.values().stream().mapToInt(FleetLimits::floor).min();
    }

    /** The most an allocation may give a pod's replica pool, on any of them. */
    public static OptionalInt ceiling(Map<String, FleetLimits> limits) {
        return limits.values().stream().mapToInt(FleetLimits::poolCeiling).max();
    }
}
