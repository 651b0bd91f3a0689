package io.regfleet.control.rebalance;

import java.util.Arrays;

/**
 * How a spare is shared among members that each already hold their base: by need when it covers every need (the rest
 * one at a time, busiest first, up to each member's headroom), in proportion to need when it does not. Pure; the pod
 * level ({@link PoolPolicy}) and the server level ({@code io.regfleet.control.share.SharePolicy}) both share this way.
 */
public final class SpareSharing {
    private SpareSharing() {
    }

    /**
     * The extra each member gets on top of its base.
     *
     * @param need     what each wants beyond its base, already within its headroom
     * @param headroom the most each may get beyond its base
     * @param demand   orders who gets leftover spare first (higher first)
     * @param spare    what there is to share
     */
    public static int[] extras(long[] need, long[] headroom, double[] demand, long spare) {
        int n = need.length;
        int[] extra = new int[n];
        long needed = Arrays.stream(need).sum();
        if (needed <= spare) {
            for (int i = 0; i < n; i++) {
                extra[i] = (int) need[i];
            }
            spreadEvenly(demand, extra, spare - needed, headroom);
        } else {
            proportionally(need, needed, spare, extra);
        }
        return extra;
    }

    /** Largest remainder: floors of spare * need / needed, then one more each to the largest fractions. */
    private static void proportionally(long[] need, long needed, long spare, int[] extra) {
        int n = need.length;
        double[] fraction = new double[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            double exact = (double) spare * need[i] / needed;
            extra[i] = (int) Math.min(need[i], (long) Math.floor(exact));
            fraction[i] = exact - extra[i];
            given += extra[i];
        }
        for (int i : order(fraction)) {
            if (given >= spare) {
                break;
            }
            if (extra[i] < need[i]) {
                extra[i]++;
                given++;
            }
        }
    }

    /** One at a time, busiest first, up to each member's headroom. */
    private static void spreadEvenly(double[] demand, int[] extra, long left, long[] headroom) {
        Integer[] order = order(demand);
        boolean gave = true;
        while (left > 0 && gave) {
            gave = false;
            for (int k = 0; k < order.length && left > 0; k++) {
                int i = order[k];
                if (extra[i] < headroom[i]) {
                    extra[i]++;
                    left--;
                    gave = true;
                }
            }
        }
    }

    /** Indices by value, highest first (stable). */
    private static Integer[] order(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        return order;
    }
}
