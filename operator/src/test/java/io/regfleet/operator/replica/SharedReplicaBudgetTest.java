package io.regfleet.operator.replica;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.control.share.ReplicaShares.Holder;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.ReadReplicaSpec;
import io.regfleet.operator.api.v1alpha1.ReadReplicaStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.reconciler.EmbeddedPostgresResource;
import io.regfleet.operator.reconciler.S3ProxyResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registries naming one read replica share its budget: a real hot standby of a test database of its own (its own
 * Quarkus run, so no other test's Registry names it) with max_connections 30 (a standby needs its primary's at
 * least): 30 - (3 superuser-reserved + 1 spec reserve + 1 probe) = 25 for the Registries' pods together, each
 * Registry within its role's limit (20 - 1 probe). Each has 1 replica + 1 surge = 2 pods of at most 6 connections: the
 * first two get 6 per pod (12 each, 24 together), the third finds 1 left, less than one per pod.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, initArgs = @ResourceArg(name = "tenancy", value = "shared-replica"))
@QuarkusTestResource(S3ProxyResource.class)
class SharedReplicaBudgetTest extends MockClusterTestBase {
    private static final int REPLICA_ROOM = 25;
    private static final TestStandby STANDBY = new TestStandby("shared", 30);

    @Inject
    ReplicaLedger ledger;

    private static EmbeddedPostgresServer standby() {
        return STANDBY.server();
    }

    @AfterAll
    static void stopReplica() {
        STANDBY.close();
    }

    @Test
    void registriesNamingOneReplicaShareItsBudgetAndOneThatDoesNotFitNamesTheOthers() {
        String ns = namespaceWithDatabase("sharedreplica");
        deployed(registry(ns, "first"));
        deployed(registry(ns, "second"));

        ReadReplicaStatus first = awaitFits(ns, "first");
        ReadReplicaStatus second = awaitFits(ns, "second");
        assertEquals(first.identity, second.identity, "one replica, one identity");
        assertTrue(first.identity.endsWith("@127.0.0.1:" + standby().port()), first.identity);
        // the second counted the first at what its pods may hold (6 x 2), not at what they hold now (nothing)
        assertEquals(List.of(6, 12, 12), List.of(second.perPodPool, second.counted, second.heldByRegistries));
        assertEquals("sharedreplica/first 12", second.otherRegistries);
        assertEquals(6, first.perPodPool);
        // every pod that can exist of both, at the pool its Deployment gives, fits the replica
        assertTrue(onReplica(ns, "first") + onReplica(ns, "second") <= REPLICA_ROOM,
                onReplica(ns, "first") + " + " + onReplica(ns, "second") + " over " + REPLICA_ROOM);

        // a third finds 1 connection left for its 2 pods: refused on the replica, naming the others and their parts
        client.resource(registry(ns, "third")).create();
        Registry refused = awaitCondition(ns, "third", RegistryConditions.READ_REPLICAS_READY, "False", Reasons.NO_ROOM_ON_REPLICA);
        String message = refused.getStatus().condition(RegistryConditions.READ_REPLICAS_READY).orElseThrow().getMessage();
        assertTrue(message.contains("read replica 127.0.0.1: 1 available (max_connections 30 - reserved 5 - held by others 0"
                + " - other Registries 24, role limit 20) for 2 pods: 0 per pod; other Registries on it:"
                + " sharedreplica/first 12, sharedreplica/second 12"), message);
        ReadReplicaStatus third = refused.getStatus().readReplicas.getFirst();
        assertEquals(List.of("NoRoom", 0, 0), List.of(third.budgetState, third.perPodPool, third.counted));

        // the shares as counted stay within the replica, and each status records at least its count (what a restarted
        // operator counts it at)
        List<Holder> holders = ledger.holders(first.identity);
        assertEquals(24, holders.stream().mapToInt(Holder::counted).sum());
        for (Holder h : holders) {
            ReadReplicaStatus recorded = client.resources(Registry.class).inNamespace(ns)
                    .withName(h.key().substring(ns.length() + 1)).get().getStatus().readReplicas.getFirst();
            assertTrue(recorded.counted >= h.counted(), h + " recorded as " + recorded.counted);
        }
        Deployment thirds = client.apps().deployments().inNamespace(ns).withName("third").get();
        assertTrue(thirds == null || thirds.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .noneMatch(e -> e.getName().equals(PodSetting.DB_READ_REPLICAS.env())), "its pods read from the primary");
    }

    // --- helpers

    /** On S3, 1 replica (+ 1 surge), at most 6 connections per pod, reading from the standby; rebalancing off. */
    private static Registry registry(String ns, String name) {
        Registry r = SampleRegistries.onS3(ns, name);
        r.getSpec().replicas = 1;
        r.getSpec().storage.s3.pathStyle = true;
        r.getSpec().rebalancing.enabled = false;
        r.getSpec().connectionsPerPod.maximum = 6;
        r.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("127.0.0.1", standby().port()));
        return r;
    }

    private ReadReplicaStatus awaitFits(String ns, String name) {
        return await().atMost(WAIT).until(() -> {
            Registry r = client.resources(Registry.class).inNamespace(ns).withName(name).get();
            return r.getStatus() == null || r.getStatus().readReplicas == null ? null : r.getStatus().readReplicas.getFirst();
            // counted 0: an early round, before the primary's budget counted any pod of it (nothing to count on the replica)
        }, s -> s != null && "Fits".equals(s.budgetState) && s.counted != null && s.counted > 0);
    }

    /** What every pod of the Registry that can exist may hold on the replica: its pool x (replicas + surge). */
    private int onReplica(String ns, String name) {
        Deployment d = awaitDeployment(ns, name);
        var env = d.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
        assertTrue(env.stream().anyMatch(e -> e.getName().equals(PodSetting.DB_READ_REPLICAS.env())
                && e.getValue().equals("127.0.0.1:" + standby().port())), name + " reads from the standby");
        String pool = env.stream().filter(e -> e.getName().equals(PodSetting.POOL_REPLICA_MAX_SIZE.env()))
                .map(EnvVar::getValue).findFirst().orElse(null);
        assertNotNull(pool);
        return Integer.parseInt(pool) * (d.getSpec().getReplicas() + d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal());
    }
}
