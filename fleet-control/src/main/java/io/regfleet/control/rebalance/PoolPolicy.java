package io.regfleet.control.rebalance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares the fleet's connections among its pods; pure, so every rule is tested without a pod.
 * <ul>
 *   <li>Pods that did not answer keep what they are counted at; every empty slot keeps the floor.</li>
 *   <li>A terminating pod is lowered to the floor (it drains).</li>
 *   <li>Every other pod gets the floor (less only when the budget itself no longer covers it), then the spare by
 *       demand up to the per-pod maximum; spare that no pod needs is spread evenly, so a pod whose load rises has
 *       headroom before the next round.</li>
 *   <li>Hysteresis: a change smaller than {@link Tuning#minStep} or {@link Tuning#minChangeFraction} of the current
 *       value is not made, unless leaving it would break the budget.</li>
 * </ul>
 * The result always satisfies {@link BudgetInvariant} when the pods that cannot change leave room for it.
 */
public final class PoolPolicy {

    /**
     * @param minStep           smallest change of a pod's maximum worth making
     * @param minChangeFraction smallest change worth making, as a fraction of the current maximum
     */
    public record Tuning(int minStep, double minChangeFraction) {
        public static final Tuning DEFAULT = new Tuning(2, 0.15);

        /** A change from {@code current} to {@code target} too small to be worth making. */
        public boolean negligible(int current, int target) {
            return Math.abs(target - current) < Math.max(minStep, (int) Math.ceil(current * minChangeFraction));
        }
    }

    private final Tuning tuning;

    public PoolPolicy(Tuning tuning) {
        this.tuning = tuning;
    }

    /** Pool maximum for every pod in {@code pods} (the ones that cannot change map to their counted value). */
    public Map<String, Integer> targets(FleetLimits limits, List<PodShare> pods) {
        Map<String, Integer> targets = new LinkedHashMap<>();
        long room = (long) limits.available() - (long) limits.floor() * BudgetInvariant.emptySlots(limits, pods);
        List<PodShare> live = new ArrayList<>();
        for (PodShare pod : pods) {
            if (!pod.adjustable()) {
                targets.put(pod.name(), pod.counted());
                room -= pod.counted();
            } else if (!pod.holdsSlot()) {
                int draining = Math.min(pod.applied(), limits.floor());
                targets.put(pod.name(), draining);
                room -= draining;
            } else {
                live.add(pod);
            }
        }
        if (live.isEmpty()) {
            return targets;
        }
        live.sort(Comparator.comparing(PodShare::name));
        Map<String, Integer> raw = share(limits, live, room);
        Map<String, Integer> steady = withHysteresis(limits, live, raw, room);
        for (PodShare pod : live) {
            targets.put(pod.name(), steady.get(pod.name()));
        }
        return targets;
    }

    /** The floor to each, then the spare by need, then what is left evenly ({@link SpareSharing}). */
    private static Map<String, Integer> share(FleetLimits limits, List<PodShare> live, long room) {
        int n = live.size();
        int base = (int) Math.max(1, Math.min(limits.floor(), room / n));
        long spare = Math.max(0, room - (long) base * n);
        long headroom = limits.poolCeiling() - base;
        long[] need = new long[n];
        long[] headrooms = new long[n];
        double[] demand = new double[n];
        for (int i = 0; i < n; i++) {
            demand[i] = live.get(i).demand();
            need[i] = Math.max(0, Math.min(headroom, (long) Math.ceil(demand[i]) - base));
            headrooms[i] = headroom;
        }
        int[] extra = SpareSharing.extras(need, headrooms, demand, spare);
        Map<String, Integer> result = new HashMap<>();
        for (int i = 0; i < n; i++) {
            result.put(live.get(i).name(), base + extra[i]);
        }
        return result;
    }

    /** Small changes are not made; if keeping a pod's larger value would break the budget, its shrink is made. */
    private Map<String, Integer> withHysteresis(FleetLimits limits, List<PodShare> live, Map<String, Integer> raw, long room) {
        Map<String, Integer> steady = new HashMap<>();
        long total = 0;
        for (PodShare pod : live) {
            int target = raw.get(pod.name());
            int current = pod.applied();
            boolean small = tuning.negligible(current, target) && current <= limits.poolCeiling();
            int kept = small ? current : target;
            steady.put(pod.name(), kept);
            total += kept;
        }
        if (total > room) {
            for (PodShare pod : live) {
                steady.put(pod.name(), Math.min(steady.get(pod.name()), raw.get(pod.name())));
            }
        }
        return steady;
    }
}
