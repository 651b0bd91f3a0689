package io.regfleet.control.rebalance;

import io.regfleet.fleet.PodUsage;

/**
 * How many connections a pod wants, from what its agent reports; pure.
 * <ul>
 *   <li>Satisfied pod: its use ({@code max(mean x HEADROOM, peak x PEAK_WEIGHT)}), so bursts within the window are
 *       covered without sizing for a single spike.</li>
 *   <li>Starved pod (threads waiting for a connection, acquisition timeouts since the last round, or a mean near its
 *       maximum): its real demand is hidden by the cap, so it asks for {@code GROWTH} times its maximum plus the
 *       waiters; repeated rounds grow it geometrically until it is satisfied or the budget is spent.</li>
 *   <li>Smoothing: rises quickly ({@code RISE}), falls slowly ({@code FALL}), so one quiet window does not take a
 *       busy pod's share away.</li>
 * </ul>
 */
public final class DemandEstimator {
    /** A satisfied pod's demand: its mean use with headroom, or most of its peak. */
    static final double HEADROOM = 1.25, PEAK_WEIGHT = 0.75;
    /** A mean at this share of the maximum counts as starved; a starved pod asks for this multiple of it. */
    static final double STARVED_MEAN = 0.8, GROWTH = 1.5;
    /** Smoothing: the share of a rise, and of a fall, taken each round. */
    static final double RISE = 0.7, FALL = 0.5;

    private DemandEstimator() {
    }

    /** This round's demand of a pod; {@code previous} is its report of the last round, or null. */
    public static double raw(PodUsage now, PodUsage previous) {
        long timeouts = previous == null ? 0 : Math.max(0, now.acquireTimeoutsTotal() - previous.acquireTimeoutsTotal());
        double used = Math.max(now.activeMean() * HEADROOM, now.activePeak() * PEAK_WEIGHT);
        if (starved(now, timeouts)) {
            return Math.max(used, now.appliedPoolMax() * GROWTH + now.awaiting());
        }
        return used;
    }

    static boolean starved(PodUsage usage, long newTimeouts) {
        return usage.awaiting() > 0 || newTimeouts > 0 || usage.activeMean() >= usage.appliedPoolMax() * STARVED_MEAN;
    }

    /** Exponential smoothing, faster up than down; {@code smoothed} is NaN before the first round. */
    public static double smooth(double smoothed, double raw) {
        if (Double.isNaN(smoothed)) {
            return raw;
        }
        double alpha = raw > smoothed ? RISE : FALL;
        return smoothed + alpha * (raw - smoothed);
    }
}
