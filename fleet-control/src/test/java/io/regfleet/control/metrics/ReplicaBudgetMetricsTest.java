package io.regfleet.control.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.regfleet.control.budget.ReplicaBudget;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicaBudgetMetricsTest {
    @Test
    void eachReplicasBudgetIsTaggedWithItsAddressAndGoesWithIt() {
        MeterRegistry meters = new SimpleMeterRegistry();
        try (ReplicaBudgetMetrics metrics = new ReplicaBudgetMetrics(meters, "ns", "reg")) {
            metrics.record(Map.of("r1:5432", new ReplicaBudget(100, 5, 3, 0, -1, 92, 4, 23),
                    "r2:5432", new ReplicaBudget(30, 4, 0, 0, -1, 26, 4, 6)));
            assertEquals(92, meters.get(ReplicaBudgetMetrics.PREFIX + "available").tags("replica", "r1:5432", "registry", "reg",
                    "namespace", "ns").gauge().value());
            assertEquals(6, meters.get(ReplicaBudgetMetrics.PREFIX + "per.pod.pool").tag("replica", "r2:5432").gauge().value());

            metrics.record(Map.of("r1:5432", new ReplicaBudget(100, 5, 40, 0, -1, 55, 4, 13)));
            assertEquals(13, meters.get(ReplicaBudgetMetrics.PREFIX + "per.pod.pool").tag("replica", "r1:5432").gauge().value());
            assertEquals(40, meters.get(ReplicaBudgetMetrics.PREFIX + "held.by.others").gauge().value());
            assertTrue(meters.find(ReplicaBudgetMetrics.PREFIX + "available").tag("replica", "r2:5432").gauges().isEmpty(),
                    "a replica taken out of the spec loses its meters");
        }
        assertTrue(meters.find(ReplicaBudgetMetrics.PREFIX + "available").gauges().isEmpty(), "all gone on close");
    }
}
