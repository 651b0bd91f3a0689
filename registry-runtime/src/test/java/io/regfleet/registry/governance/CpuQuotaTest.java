package io.regfleet.registry.governance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CpuQuotaTest {
    @Test
    void readsCgroupV2AndV1Quotas(@TempDir Path dir) throws Exception {
        Path max = Files.writeString(dir.resolve("cpu.max"), "150000 100000\n");
        assertEquals(1.5, CpuQuota.cgroupV2(max));
        assertNull(CpuQuota.cgroupV2(Files.writeString(dir.resolve("none"), "max 100000\n")));
        Path quota = Files.writeString(dir.resolve("q"), "50000");
        Path period = Files.writeString(dir.resolve("p"), "100000");
        assertEquals(0.5, CpuQuota.cgroupV1(quota, period));
        assertNull(CpuQuota.cgroupV1(Files.writeString(dir.resolve("unlimited"), "-1"), period));
    }
}
