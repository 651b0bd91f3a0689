package io.regfleet.control.share;

import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.budget.ReplicaBudget;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Read replicas shared by Registries, by the replica's identity ({@code <system_identifier>@<host>:<port>}). A replica
 * pool is fixed for a pod's life, so a Registry is counted at what its pods may hold there (each pod's pool times the
 * pods that can exist), never at what they hold now, and a newcomer gets only what the others' counts leave: first
 * come, first served, nobody is lowered for another. Claims are serialized, so two Registries never take the same
 * room. The invariant, per replica: the counts of every Registry on it, plus the reserves and the connections outside
 * them, stay within what the replica allows (as far as those outside connections do not grow meanwhile).
 */
public final class ReplicaShares {

    /**
     * One Registry's part of one replica.
     *
     * @param key     the Registry's {@code namespace/name}
     * @param name    the {@code <registry>} of its pods' application names (how the probe tells its connections)
     * @param address the replica as the Registry's spec names it ({@code host:port})
     * @param counted the connections its pods may hold there together
     */
    public record Holder(String key, String name, String address, int counted) {
        public Holder {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(name, "name");
            if (counted < 0) {
                throw new IllegalArgumentException("negative count " + counted + " for " + key);
            }
        }
    }

    /**
     * What a Registry asks of a replica at one reconciliation, with what its pods hold there now.
     *
     * @param podsCounted  the pods that can exist at once under its new plan (the most its Deployment keeps)
     * @param currentPool  the pool its Deployment's pods are given there now (0: none)
     * @param currentPods  how many existing pods have that pool
     * @param oldPool      the largest pool of its existing pods with another pool there (a rollout under way)
     * @param oldPods      how many existing pods have such another pool
     * @param podsExisting how many pods it has now
     * @param rebalanced   its pods' pools there are moved by demand within its count (a replica rebalancer): their
     *                     pools from their Deployment are floors, so it is counted at the even split of its part for
     *                     every pod that can exist or exists, whatever pools its pods start with
     * @param heldNow      when rebalanced: what its pods' pools there add up to as its rebalancer last recorded them;
     *                     a part that shrinks stays counted at this until the pods have been lowered into it
     */
    public record ReplicaClaim(String key, String name, String address, int specReserved, int podsCounted,
                               int perPodMaximum, int currentPool, int currentPods, int oldPool, int oldPods,
                               int podsExisting, boolean rebalanced, int heldNow) {
        /** A claim whose pods' pools are fixed for their life. */
        public ReplicaClaim(String key, String name, String address, int specReserved, int podsCounted, int perPodMaximum,
                            int currentPool, int currentPods, int oldPool, int oldPods, int podsExisting) {
            this(key, name, address, specReserved, podsCounted, perPodMaximum, currentPool, currentPods, oldPool, oldPods,
                    podsExisting, false, 0);
        }

        /** The same claim, its pods' pools rebalanced or not. */
        public ReplicaClaim rebalancedIf(boolean rebalancing) {
            return rebalancedIf(rebalancing, 0);
        }

        /** The same claim, its pods' pools rebalanced or not, and when they are, adding up to {@code heldNow}. */
        public ReplicaClaim rebalancedIf(boolean rebalancing, int heldNow) {
            return new ReplicaClaim(key, name, address, specReserved, podsCounted, perPodMaximum, currentPool, currentPods,
                    oldPool, oldPods, podsExisting, rebalancing, rebalancing ? heldNow : 0);
        }

        /** A Registry with no pod yet. */
        public static ReplicaClaim fresh(String key, String name, String address, int specReserved, int podsCounted,
                                         int perPodMaximum) {
            return new ReplicaClaim(key, name, address, specReserved, podsCounted, perPodMaximum, 0, 0, 0, 0, 0);
        }

        /** The pods a rebalanced Registry is counted for: every one that can exist, or more while it scales down. */
        int rebalancedPods() {
            return Math.max(podsCounted, podsExisting);
        }

        boolean rolling() {
            return oldPods > 0 && oldPool > 0;
        }

        /**
         * What its pods may hold while its Deployment gives {@code pool} to new pods and the pods with another pool
         * ({@code others} of them, each at most {@code otherPool}) go: a rollout keeps the pods within the larger of the
         * new plan's count and the pods there are, and the new pods within the plan's count.
         */
        long mayHold(int pool, int others, int otherPool) {
            // pods with this pool: the plan's, and those there are beyond it while scaling down
            int n = pool == 0 ? 0 : pool == currentPool ? Math.max(podsCounted, currentPods) : podsCounted;
            int total = Math.max(podsCounted, podsExisting);
            long most = 0;
            for (int k = 0; k <= n; k++) {
                most = Math.max(most, (long) pool * k + (long) otherPool * Math.min(others, Math.max(0, total - k)));
            }
            return most;
        }
    }

    /**
     * What a claim got.
     *
     * @param budget  the Registry's budget there, after what the others are counted at
     * @param others  the other Registries on the replica, as counted
     * @param counted what this Registry is counted at from now on
     */
    public record ReplicaShare(ReplicaBudget budget, List<Holder> others, int counted) {
        public ReplicaShare {
            others = List.copyOf(others);
        }

        /** The other Registries and their counts, e.g. {@code team-a/reg 18, team-b/reg 6}; empty when alone. */
        public String othersExplained() {
            return others.stream().map(h -> h.key() + " " + h.counted()).collect(Collectors.joining(", "));
        }
    }

    private final Map<String, Map<String, Holder>> replicas = new HashMap<>();

    /**
     * The pool its new pods get. A rollout under way keeps its pool (the old pods go first) unless it no longer fits;
     * otherwise the budget's pool, or the largest below it that fits beside the pods that exist until they are gone;
     * 0 (the new pods do not use the replica) when none does.
     */
    private static int pool(ReplicaClaim claim, ReplicaBudget budget) {
        long room = budget.available();
        if (claim.rebalanced()) {
            return (int) Math.min(budget.perPodPool(), room / Math.max(1, claim.rebalancedPods()));
        }
        int current = claim.currentPool();
        if (claim.rolling()) {
            return current > 0 && current <= claim.perPodMaximum()
                    && claim.mayHold(current, claim.oldPods(), claim.oldPool()) <= room ? current : 0;
        }
        for (int pool = budget.perPodPool(); pool > 0; pool--) {
            long most = pool == current ? (long) pool * Math.max(claim.podsCounted(), claim.currentPods())
                    : claim.mayHold(pool, claim.currentPods(), current);
            if (most <= room) {
                return pool;
            }
        }
        return 0;
    }

    /** A Registry known only from its status (after a restart): counted at what it recorded until it claims again. */
    public synchronized void recorded(String replica, Holder holder) {
        replicas.computeIfAbsent(replica, r -> new LinkedHashMap<>()).putIfAbsent(holder.key(), holder);
    }

    /**
     * The Registry's budget on the replica as {@code seen} now, with every other Registry counted at its part; its own
     * part becomes the larger of that budget's pools (0 when they do not fit) and what its pods may still hold.
     */
    public synchronized ReplicaShare claim(String replica, ServerSnapshot seen, ReplicaClaim claim) {
        Map<String, Holder> on = replicas.computeIfAbsent(replica, r -> new LinkedHashMap<>());
        List<Holder> others = on.values().stream().filter(h -> !h.key().equals(claim.key())).toList();
        Set<String> known = new HashSet<>();
        others.forEach(h -> known.add(h.name()));
        known.add(claim.name());
        DatabaseLimits outside = seen.limitsOutside(known);
        ReplicaBudget budget = ReplicaBudget.compute(outside, others.stream().mapToInt(Holder::counted).sum(),
                claim.specReserved(), claim.podsCounted(), claim.perPodMaximum());
        int pool = pool(claim, budget);
        long most = claim.rebalanced() ? Math.max((long) pool * claim.rebalancedPods(), claim.heldNow())
                : claim.rolling() && pool == claim.currentPool()
                ? claim.mayHold(pool, claim.oldPods(), claim.oldPool())
                : pool == claim.currentPool() ? (long) pool * Math.max(claim.podsCounted(), claim.currentPods())
                : claim.mayHold(pool, claim.currentPods() + claim.oldPods(), Math.max(claim.currentPool(), claim.oldPool()));
        budget = budget.withPool(pool);
        int counted = (int) Math.min(Integer.MAX_VALUE, most);
        if (counted > 0) {
            on.put(claim.key(), new Holder(claim.key(), claim.name(), claim.address(), counted));
        } else {
            on.remove(claim.key());
        }
        return new ReplicaShare(budget, others, counted);
    }

    /**
     * The Registry's parts are released on every replica but those {@code claimed} this time and those its pods still
     * have a pool on ({@code inUse}, by address): it no longer names the others.
     */
    public synchronized void retainOnly(String key, Collection<String> claimed, Collection<String> inUse) {
        replicas.forEach((replica, on) -> {
            Holder h = on.get(key);
            if (h != null && !claimed.contains(replica) && !inUse.contains(h.address())) {
                on.remove(key);
            }
        });
    }

    /** The Registry is gone (deleted, its pods with it): nothing of it is counted any more. */
    public synchronized void forget(String key) {
        replicas.values().forEach(on -> on.remove(key));
    }

    /**
     * Every Registry but those {@code existing} is forgotten. Its pods' connections still on a replica are then seen by
     * the probe as held by a Registry nobody counts, so they are subtracted as others' until they close.
     */
    public synchronized void forgetAllBut(Collection<String> existing) {
        replicas.values().forEach(on -> on.keySet().retainAll(existing));
    }

    /** Every Registry on the replica, as counted. */
    public synchronized List<Holder> holders(String replica) {
        return List.copyOf(replicas.getOrDefault(replica, Map.of()).values());
    }
}
