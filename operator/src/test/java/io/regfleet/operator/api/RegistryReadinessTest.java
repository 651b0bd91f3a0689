package io.regfleet.operator.api;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;
import io.regfleet.operator.reconciler.StatusConditions;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryReadinessTest {

    private static Registry registry(long generation, Long observed, String ready) {
        Registry r = new Registry();
        r.setMetadata(new ObjectMetaBuilder().withName("r").withGeneration(generation).build());
        RegistryStatus status = new RegistryStatus();
        status.observedGeneration = observed;
        status.conditions = List.of(new ConditionBuilder().withType(RegistryConditions.READY).withStatus(ready).build());
        r.setStatus(status);
        return r;
    }

    @Test
    void readyOnlyWhenTheCurrentGenerationWasObservedAndReadyIsTrue() {
        assertTrue(registry(3, 3L, "True").isReady());
        assertFalse(registry(4, 3L, "True").isReady(), "a newer spec was not observed yet");
        assertFalse(registry(3, 3L, "False").isReady());
        assertFalse(registry(3, null, "True").isReady());
        Registry noStatus = new Registry();
        noStatus.setMetadata(new ObjectMetaBuilder().withName("r").withGeneration(1L).build());
        assertFalse(noStatus.isReady());
    }

    @Test
    void anUnchangedConditionKeepsItsTransitionTime() {
        var first = new StatusConditions(null, 1L, Instant.parse("2026-01-01T00:00:00Z"))
                .set(RegistryConditions.READY, "False", "ReplicasNotReady", "0/1").toList();
        var same = new StatusConditions(first, 2L, Instant.parse("2026-01-01T00:05:00Z"))
                .set(RegistryConditions.READY, "False", "ReplicasNotReady", "0/2").toList();
        assertEquals("2026-01-01T00:00:00Z", same.get(0).getLastTransitionTime());
        assertEquals(2L, same.get(0).getObservedGeneration());
        var flipped = new StatusConditions(same, 2L, Instant.parse("2026-01-01T00:06:00Z"))
                .set(RegistryConditions.READY, "True", "AllReplicasReady", "2/2").toList();
        assertEquals("2026-01-01T00:06:00Z", flipped.get(0).getLastTransitionTime());
    }
}
