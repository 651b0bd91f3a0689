package io.regfleet.registry.governance;

import java.lang.management.ManagementFactory;

/** Process CPU time sampled each second, for the CPU this pod used over the usage window. */
final class CpuSampler {
    private final long[] cpuNanos;
    private final long[] wallNanos;
    private int next;
    private int filled;

    CpuSampler(int windowSeconds) {
        cpuNanos = new long[windowSeconds + 1];
        wallNanos = new long[windowSeconds + 1];
        sample();
    }

    synchronized void sample() {
        cpuNanos[next] = processCpuNanos();
        wallNanos[next] = System.nanoTime();
        next = (next + 1) % cpuNanos.length;
        filled = Math.min(filled + 1, cpuNanos.length);
    }

    /** CPUs used on average between the oldest and the newest sample. */
    synchronized double coresUsed() {
        int newest = Math.floorMod(next - 1, cpuNanos.length);
        int oldest = filled < cpuNanos.length ? 0 : next;
        long wall = wallNanos[newest] - wallNanos[oldest];
        return wall <= 0 ? 0 : (double) (cpuNanos[newest] - cpuNanos[oldest]) / wall;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
