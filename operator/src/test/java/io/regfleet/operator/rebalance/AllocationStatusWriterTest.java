package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.PodState;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.operator.api.v1alpha1.RebalanceStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the rebalancer writes to status, and how rarely when nothing changes (mock API server). */
@EnableKubernetesMockClient(crud = true)
class AllocationStatusWriterTest {
    static final FleetLimits LIMITS = new FleetLimits(20, 3, 3, 20, 8, 200);
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    KubernetesClient client;

    @Test
    void writesOnlyItsFieldsAndSkipsUnchangedRoundsForAMinute() {
        Registry registry = new Registry();
        registry.setMetadata(new ObjectMetaBuilder().withName("w").withNamespace("ns").build());
        registry.setSpec(new RegistrySpec());
        RegistryStatus status = new RegistryStatus();
        status.endpoint = "reconciler's";
        registry.setStatus(status);
        client.resource(registry).create();
        RebalanceStatus persisted = new RebalanceStatus();
        persisted.changesTotal = 5L; // from before an operator restart
        persisted.lastChangeTime = "2026-02-01T00:00:00Z";
        AllocationStatusWriter writer = new AllocationStatusWriter(client, "ns", "w", persisted);

        writer.rebalanced(report(T0, 2, 9, 12.345, 4));
        Registry first = get();
        assertEquals("reconciler's", first.getStatus().endpoint, "the merge patch leaves other status fields alone");
        var a = first.getStatus().allocations.get(0);
        assertEquals("w-1", a.pod);
        assertEquals("Serving", a.state);
        assertEquals(9, a.poolMaxSize);
        assertEquals(4, a.openConnections);
        assertEquals(12.35, a.demand);
        assertEquals("Silent", first.getStatus().allocations.get(1).state);
        assertNull(first.getStatus().allocations.get(1).demand, "NaN demand is left out");
        var round = first.getStatus().rebalance;
        assertEquals(7L, round.changesTotal);
        assertEquals("2026-03-01T10:00:00Z", round.lastChangeTime);
        assertEquals("2026-03-01T10:00:00Z", round.lastRoundTime);
        assertEquals(15L, round.committed);
        assertEquals(1, round.emptySlots);
        assertEquals("15/" + round.available, round.budget, "kubectl's Budget column: committed/available");
        assertEquals("1/2", round.serving, "kubectl -o wide's Serving column: one agent answered of two pods");
        String version = first.getMetadata().getResourceVersion();

        // same allocations, only usage moved: not written within the minute
        writer.rebalanced(report(T0.plusSeconds(10), 0, 9, 13.0, 6));
        writer.rebalanced(report(T0.plusSeconds(50), 0, 9, 14.0, 7));
        assertEquals(version, get().getMetadata().getResourceVersion());

        // a minute on: refreshed with the latest usage
        writer.rebalanced(report(T0.plusSeconds(61), 0, 9, 15.0, 8));
        Registry refreshed = get();
        assertEquals(8, refreshed.getStatus().allocations.get(0).openConnections);
        assertEquals("2026-03-01T10:01:01Z", refreshed.getStatus().rebalance.lastRoundTime);
        assertEquals("2026-03-01T10:00:00Z", refreshed.getStatus().rebalance.lastChangeTime);

        // an allocation changed: written at once
        writer.rebalanced(report(T0.plusSeconds(65), 1, 11, 15.0, 8));
        Registry changed = get();
        assertEquals(11, changed.getStatus().allocations.get(0).poolMaxSize);
        assertEquals(8L, changed.getStatus().rebalance.changesTotal);
    }

    @Test
    void aRegistryWithoutStatusYetGetsOne() {
        Registry registry = new Registry();
        registry.setMetadata(new ObjectMetaBuilder().withName("fresh").withNamespace("ns").build());
        registry.setSpec(new RegistrySpec());
        client.resource(registry).create();

        new AllocationStatusWriter(client, "ns", "fresh", null).rebalanced(report(T0, 0, 3, 1.0, 1));

        Registry written = client.resources(Registry.class).inNamespace("ns").withName("fresh").get();
        assertEquals(2, written.getStatus().allocations.size());
        assertEquals(0L, written.getStatus().rebalance.changesTotal);
        assertNull(written.getStatus().rebalance.lastChangeTime, "no change yet");
    }

    private Registry get() {
        return client.resources(Registry.class).inNamespace("ns").withName("w").get();
    }

    /** Pod w-1 serving at poolMax, w-2 silent at 3; one empty slot at the floor 3. */
    private static RebalanceReport report(Instant at, int changes, int poolMax, double demand, int open) {
        return new RebalanceReport(at, LIMITS, poolMax + 3 + 3, List.of(
                new PodReport("w-1", PodState.SERVING, poolMax, poolMax, poolMax, 36, open, 2, demand, 10),
                new PodReport("w-2", PodState.SILENT, 3, 3, 3, 12, 0, 0, Double.NaN, 0)), changes, 0, 0);
    }
}
