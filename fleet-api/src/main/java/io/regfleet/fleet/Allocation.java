package io.regfleet.fleet;

/**
 * What the operator gives one pod: its pool maximum and worker limit, stamped with a generation that only grows.
 * A pod applies a generation newer than the one it has and ignores older ones, so retries and reordering are safe.
 * Given to one read replica's pool ({@link FleetApi#REPLICA}) it sets that pool's maximum only, under that pool's own
 * generations: {@code workers} is then ignored (the worker limit is the pod's, set with the primary's allocation).
 */
public record Allocation(long generation, int poolMax, int workers) {
    public Allocation {
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative");
        }
        if (poolMax < 1) {
            throw new IllegalArgumentException("poolMax must be at least 1");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
    }
}
