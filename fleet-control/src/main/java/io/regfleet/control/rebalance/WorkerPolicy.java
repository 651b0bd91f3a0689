package io.regfleet.control.rebalance;

import io.regfleet.fleet.PodUsage;

/**
 * A pod's worker limit (database work running at once) from its CPU use and latency; pure.
 * <ul>
 *   <li>Never below the pod's pool maximum (fewer workers would leave connections unused) nor outside the spec's
 *       bounds.</li>
 *   <li>Lower by {@code DECREASE} when CPU is saturated (at least {@code CPU_SATURATED} of its limit) or when database
 *       work's p99 has climbed past {@code LATENCY_CLIMB} times its baseline: more concurrency would only queue in
 *       the database or the CPU.</li>
 *   <li>Raise by {@code INCREASE} when work waits for a worker or was shed since the last round and CPU is below
 *       {@code CPU_SPARE}.</li>
 *   <li>Otherwise keep. The baseline p99 follows the observed p99 slowly, and only while it is not climbing.</li>
 * </ul>
 */
public final class WorkerPolicy {
    /** Shares of the CPU limit: lower at or above the first, raise only below the second. */
    static final double CPU_SATURATED = 0.9, CPU_SPARE = 0.7;
    /** A p99 over this many times its baseline (and over the floor, in ms) is climbing. */
    static final double LATENCY_CLIMB = 2.0, LATENCY_FLOOR_MS = 5.0;
    /** Factors of a raise and a cut. */
    static final double INCREASE = 1.5, DECREASE = 0.75;
    /** How fast the baseline follows the observed p99. */
    static final double BASELINE_ALPHA = 0.2;

    /** The next worker limit and the latency baseline to remember. */
    public record Decision(int workers, double baselineP99Ms) {
    }

    private WorkerPolicy() {
    }

    /**
     * @param current   the worker limit now
     * @param poolMax   the pool maximum the pod is about to have
     * @param usage     this round's report
     * @param shed      requests shed since the last round
     * @param baseline  the remembered p99 baseline of database work, NaN before the first round
     */
    public static Decision next(FleetLimits limits, int current, int poolMax, PodUsage usage, long shed, double baseline) {
        int lowest = Math.max(limits.workersMinimum(), Math.min(poolMax, limits.workersMaximum()));
        double cpu = usage.cpuLimit() > 0 ? usage.cpuUsage() / usage.cpuLimit() : 0;
        double p99 = usage.workP99Ms();
        boolean climbing = !Double.isNaN(baseline) && p99 > LATENCY_FLOOR_MS && p99 > baseline * LATENCY_CLIMB;
        double nextBaseline = Double.isNaN(baseline) ? p99 : climbing ? baseline : baseline + BASELINE_ALPHA * (p99 - baseline);
        int workers = current;
        if (cpu >= CPU_SATURATED || climbing) {
            workers = (int) Math.floor(current * DECREASE);
        } else if ((usage.workersQueued() > 0 || shed > 0) && cpu < CPU_SPARE) {
            workers = (int) Math.ceil(current * INCREASE);
        }
        workers = Math.max(lowest, Math.min(limits.workersMaximum(), workers));
        return new Decision(workers, nextBaseline);
    }
}
