package io.regfleet.registry.governance;

/**
 * Per-second buckets over the last {@code seconds}: for a level that changes (connections in use) its peak and
 * time-weighted mean; for events (requests) their count. Callers pass the clock, so it is tested without sleeping.
 */
public final class SlidingWindow {
    private final int seconds;
    private final long[] second;
    private final double[] area;   // level x seconds accumulated in the bucket
    private final int[] peak;
    private final long[] events;
    private int level;
    private long lastNanos;

    public SlidingWindow(int seconds, long nowNanos) {
        this.seconds = Math.max(1, seconds);
        int n = this.seconds + 1;
        second = new long[n];
        area = new double[n];
        peak = new int[n];
        events = new long[n];
        lastNanos = nowNanos;
        java.util.Arrays.fill(second, Long.MIN_VALUE);
    }

    public record Snapshot(int peak, double mean, long events, double seconds) {
        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    public synchronized void level(int value, long nowNanos) {
        advance(nowNanos);
        level = value;
        int i = bucket(nowNanos);
        peak[i] = Math.max(peak[i], value);
    }

    public synchronized void event(long nowNanos) {
        advance(nowNanos);
        events[bucket(nowNanos)]++;
    }

    public synchronized Snapshot snapshot(long nowNanos) {
        advance(nowNanos);
        long current = nowNanos / 1_000_000_000L;
        int maxPeak = level;
        double totalArea = 0;
        long totalEvents = 0;
        for (int i = 0; i < second.length; i++) {
            if (second[i] >= current - seconds && second[i] <= current) {
                maxPeak = Math.max(maxPeak, peak[i]);
                totalArea += area[i];
                totalEvents += events[i];
            }
        }
        // the buckets cover from the start of second (current - seconds) to now: a little more than the window
        double span = (nowNanos - (current - seconds) * 1_000_000_000L) / 1e9;
        return new Snapshot(maxPeak, totalArea / span, totalEvents, span);
    }

    /** Credits the current level for the time since the last change, bucket by bucket. */
    private void advance(long nowNanos) {
        long from = Math.max(lastNanos, nowNanos - (seconds + 1) * 1_000_000_000L);
        while (from < nowNanos) {
            long boundary = (from / 1_000_000_000L + 1) * 1_000_000_000L;
            long to = Math.min(boundary, nowNanos);
            int i = bucket(from);
            area[i] += level * ((to - from) / 1e9);
            peak[i] = Math.max(peak[i], level);
            from = to;
        }
        lastNanos = Math.max(lastNanos, nowNanos);
        bucket(nowNanos);
    }

    /** The bucket of that second, cleared when it last held an older second. */
    private int bucket(long nanos) {
        long s = nanos / 1_000_000_000L;
        int i = (int) Math.floorMod(s, (long) second.length);
        if (second[i] != s) {
            second[i] = s;
            area[i] = 0;
            peak[i] = 0;
            events[i] = 0;
        }
        return i;
    }
}
