package io.regfleet.operator.rebalance;

import io.regfleet.control.metrics.RebalanceMetrics;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.fleet.CollectorReport;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.GarbageCollectionStatus;
import io.regfleet.operator.api.v1alpha1.PodAllocationStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.reconciler.EmbeddedPostgresResource;
import io.regfleet.operator.reconciler.S3ProxyResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's rebalancer end to end on its side: the reconciler starts it with the budget's limits, it finds the
 * pods through the (mock) API server, talks to their agents (tiny JDK HTTP servers here; the real agent runs in the
 * e2e suite) with the token of the agent-token Secret, and records the round in status, as an Event and as metrics.
 * Same setup as RegistryReconcilerTest, so Quarkus starts once for both.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class RegistryRebalancingTest extends MockClusterTestBase {
    @Inject
    MeterRegistry meters;

    @Test
    void aRoundSharesTheBudgetByDemandAndIsRecorded() throws Exception {
        String ns = namespaceWithDatabase("rebalance");
        Registry registry = client.resource(SampleRegistries.onS3(ns, "busy")).create();
        String key = ns + "/busy";

        // 18 available, 2 replicas + 1 surge, floor 50% of 6 = 3; per pod at most 20; workers 8..200 (spec defaults)
        FleetLimits limits = await().atMost(WAIT).until(() -> rebalancers.limits(key), Optional::isPresent).orElseThrow();
        assertEquals(new FleetLimits(18, 3, 3, 20, 8, 200), limits);

        completeJob(awaitJob(ns, registry), true);
        awaitDeployment(ns, "busy");
        String token = await().atMost(WAIT).until(() -> agentToken(ns, "busy"), t -> t != null);
        // both pods start at the floor the Deployment gives them: one is starved (10 threads waiting), one idle
        try (FakePodAgent starved = new FakePodAgent(token, 3, 12, 10, 3);
             FakePodAgent idle = new FakePodAgent(token, 3, 12, 0, 0)) {
            runningPod(ns, "busy", "busy-a", starved.port());
            runningPod(ns, "busy", "busy-b", idle.port());

            // the starved pod gets the whole spare: 18 - 3 (empty surge slot) - 3 (idle pod) = 12
            Registry recorded = await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("busy").get(),
                    r -> r.getStatus().allocations != null && r.getStatus().allocations.size() == 2
                            && allocation(r, "busy-a").poolMaxSize == 12);
            assertEquals(12, starved.poolMax, "the agent was given its new maximum");
            assertEquals(12, starved.received.get(starved.received.size() - 1).poolMax());
            assertEquals(0, starved.unauthorized + idle.unauthorized, "every call carried the Secret's token");
            assertTrue(idle.received.isEmpty(), "the idle pod's allocation did not change");

            PodAllocationStatus a = allocation(recorded, "busy-a");
            assertEquals("Serving", a.state);
            assertEquals(12, a.counted);
            assertEquals(12, a.workers);
            assertNotNull(a.demand);
            assertTrue(a.demand > 12, "a starved pod asks for more than it has: " + a.demand);
            PodAllocationStatus b = allocation(recorded, "busy-b");
            assertEquals(3, b.poolMaxSize);
            assertEquals(0.0, b.demand);
            var round = recorded.getStatus().rebalance;
            assertEquals(18, round.committed);
            assertEquals(18, round.available);
            assertEquals(1, round.emptySlots);
            assertTrue(round.changesTotal >= 1);
            assertNotNull(round.lastChangeTime);
            assertNotNull(round.lastRoundTime);

            Event event = await().atMost(WAIT).until(() -> events(ns, "busy", "AllocationChanged"), l -> !l.isEmpty()).get(0);
            assertEquals("Normal", event.getType());
            assertEquals("pool maxima: busy-a 3->12 (committed 18/18)", event.getMessage());
            assertEquals(registry.getMetadata().getUid(), event.getInvolvedObject().getUid());
            assertTrue(events(ns, "busy", "OverBudget").isEmpty());

            Gauge poolMax = meters.find(RebalanceMetrics.POOL_MAX).tags("namespace", ns, "registry", "busy", "pod", "busy-a").gauge();
            assertNotNull(poolMax);
            assertEquals(12.0, poolMax.value());
            assertEquals(18.0, meters.find(RebalanceMetrics.COMMITTED).tags("registry", "busy").gauge().value());
            assertEquals(18.0, meters.find(RebalanceMetrics.AVAILABLE).tags("registry", "busy").gauge().value());
            assertTrue(meters.find(RebalanceMetrics.CHANGES).tags("registry", "busy").counter().count() >= 1);

            // a reconciliation (a spec change) rewrites the reconciler's status and leaves the rebalancer's alone
            Registry edited = editRegistry(ns, "busy", r -> {
                r.getSpec().readOnly = true;
                return r;
            });
            Registry reconciled = await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("busy").get(),
                    r -> edited.getMetadata().getGeneration().equals(r.getStatus().observedGeneration));
            assertNotNull(reconciled.getStatus().allocations, "status.allocations survived the reconciler's status patch");
            assertEquals(12, allocation(reconciled, "busy-a").poolMaxSize);
            assertEquals(18, reconciled.getStatus().rebalance.committed);

            // rebalancing off: the rebalancer stops, its meters go, and every pod gets the whole even split again
            editRegistry(ns, "busy", r -> {
                r.getSpec().rebalancing.enabled = false;
                return r;
            });
            await().atMost(WAIT).until(() -> !rebalancers.isRunning(key));
            await().atMost(WAIT).until(() -> "6".equals(poolMaxEnv(client.apps().deployments().inNamespace(ns).withName("busy").get())));
            assertNull(meters.find(RebalanceMetrics.POOL_MAX).tags("registry", "busy").gauge());
            // the status patch ends the reconciliation that updated the Deployment: wait for it, do not race it
            await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("busy").get()
                    .getStatus().budget.perPodFloor, floor -> floor == 6);
        }
    }

    @Test
    void thePodsCollectorReportsAreSummedIntoStatus() throws Exception {
        String ns = namespaceWithDatabase("collector");
        Registry registry = client.resource(SampleRegistries.onS3(ns, "gc")).create();
        completeJob(awaitJob(ns, registry), true);
        awaitDeployment(ns, "gc");
        String token = await().atMost(WAIT).until(() -> agentToken(ns, "gc"), t -> t != null);
        try (FakePodAgent a = new FakePodAgent(token, 3, 12, 0, 0); FakePodAgent b = new FakePodAgent(token, 3, 12, 0, 0)) {
            // the queue sizes are the database's: the pod whose round is the latest counted them last
            a.collector = new CollectorReport(1_780_000_000.0, 5, 5_000, 1, 7, 0, 1, 40, 9, 0);
            b.collector = new CollectorReport(1_780_000_060.5, 3, 2_000, 2, 1, 0, 0, 30, 4, 1);
            runningPod(ns, "gc", "gc-a", a.port());
            runningPod(ns, "gc", "gc-b", b.port());
            // a reconciliation reads them (every one in tests; at most every minute by default)
            editRegistry(ns, "gc", r -> {
                r.getSpec().readOnly = true;
                return r;
            });
            GarbageCollectionStatus gc = await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns)
                    .withName("gc").get().getStatus().garbageCollection, s -> s != null && Integer.valueOf(2).equals(s.pods));
            // totals summed; the last round and the backlog of b, whose round is the latest
            assertEquals(List.of("2026-05-28T20:27:40Z", 8L, 7_000L, 3L, 1L, 30L, 4L, 1L), List.of(gc.lastRunTime,
                    gc.collectedBlobs, gc.collectedBytes, gc.collectedManifests, gc.errors, gc.blobBacklog, gc.manifestBacklog,
                    gc.deletionsInProgress));
            assertEquals(0, a.unauthorized + b.unauthorized, "every call carried the agent token");

            // a pod that stops answering is left out; the others still count
            b.close();
            a.collector = new CollectorReport(1_780_000_120.0, 9, 9_000, 1, 7, 0, 1, 12, 0, 0);
            editRegistry(ns, "gc", r -> {
                r.getSpec().readOnly = false;
                return r;
            });
            GarbageCollectionStatus one = await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns)
                    .withName("gc").get().getStatus().garbageCollection, s -> s != null && Integer.valueOf(1).equals(s.pods));
            assertEquals(9, one.collectedBlobs);
            assertEquals(12, one.blobBacklog);
        }
    }

    @Test
    void theLastAllocationsInStatusSeedARestartedRebalancer() {
        Registry registry = new Registry();
        registry.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("n").build());
        var status = new io.regfleet.operator.api.v1alpha1.RegistryStatus();
        PodAllocationStatus a = new PodAllocationStatus();
        a.pod = "r-1";
        a.poolMaxSize = 9;
        a.counted = 11; // a shrink was in flight: the larger count is what may still be open
        PodAllocationStatus b = new PodAllocationStatus();
        b.pod = "r-2";
        b.poolMaxSize = 4;
        status.allocations = List.of(a, b);
        registry.setStatus(status);
        assertEquals(Map.of("r-1", 11, "r-2", 4), FleetRebalancers.seed(registry));
        assertTrue(FleetRebalancers.seed(new Registry()).isEmpty(), "no status, nothing seeded");

        // each read replica's rebalancer from its own entry of status.readReplicas
        var replica = new io.regfleet.operator.api.v1alpha1.ReadReplicaStatus();
        replica.replica = "r1.db:5432";
        PodAllocationStatus onReplica = new PodAllocationStatus();
        onReplica.pod = "r-1";
        onReplica.poolMaxSize = 7;
        onReplica.counted = 7;
        replica.allocations = List.of(onReplica);
        status.readReplicas = List.of(replica);
        assertEquals(Map.of("r-1", 7), ReplicaRebalancers.seed(registry, "r1.db:5432"));
        assertTrue(ReplicaRebalancers.seed(registry, "r2.db:5432").isEmpty(), "another replica: nothing recorded");
    }

    // --- helpers

    private static PodAllocationStatus allocation(Registry r, String pod) {
        return r.getStatus().allocations.stream().filter(a -> pod.equals(a.pod)).findFirst()
                .orElseThrow(() -> new AssertionError(pod + " not in status.allocations"));
    }

    private List<Event> events(String ns, String registry, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> registry.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    private static String poolMaxEnv(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("REGFLEET_POOL_MAX_SIZE")).findFirst().orElseThrow().getValue();
    }

}
