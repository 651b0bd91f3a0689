package io.regfleet.registry.governance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPUs this container may use: its cgroup quota (v2 cpu.max or v1 cfs quota), else the JVM's count. */
public final class CpuQuota {
    private CpuQuota() {
    }

    public static double cpus() {
        Double v2 = cgroupV2(Path.of("/sys/fs/cgroup/cpu.max"));
        if (v2 != null) {
            return v2;
        }
        Double v1 = cgroupV1(Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), Path.of("/sys/fs/cgroup/cpu/cpu.cfs_period_us"));
        return v1 != null ? v1 : Runtime.getRuntime().availableProcessors();
    }

    /** "max 100000" (no quota) or "200000 100000" (2 CPUs). */
    static Double cgroupV2(Path cpuMax) {
        try {
            String[] parts = Files.readString(cpuMax).trim().split("\\s+");
            if (parts.length != 2 || parts[0].equals("max")) {
                return null;
            }
            return Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    static Double cgroupV1(Path quota, Path period) {
        try {
            long q = Long.parseLong(Files.readString(quota).trim());
            long p = Long.parseLong(Files.readString(period).trim());
            return q <= 0 || p <= 0 ? null : (double) q / p;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** The default worker limit: 4 per CPU of the quota, at least 2. */
    public static int defaultWorkers() {
        return Math.max(2, (int) Math.ceil(cpus() * 4));
    }
}
