package io.regfleet.operator.replica;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.control.share.ServerShares;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.dev.FreePorts;
import io.regfleet.fleet.PodSetting;
import io.regfleet.fleet.ReplicaReport;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.PoolerSpec;
import io.regfleet.operator.api.v1alpha1.ReadReplicaSpec;
import io.regfleet.operator.api.v1alpha1.ReadReplicaStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.control.metrics.ReplicaBudgetMetrics;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.rebalance.FakePodAgent;
import io.regfleet.operator.reconciler.EmbeddedPostgresResource;
import io.regfleet.operator.reconciler.S3ProxyResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read replicas end to end on the operator's side: a real hot standby of the test database (StreamingReplica: the
 * primary's system_identifier, its own max_connections), a real second server too small for the pods, a port nobody
 * listens on; the pods' agents are tiny HTTP servers (FakePodAgent) reporting on the replicas.
 * Same setup as the other reconcile tests, so Quarkus starts once for all.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class ReadReplicasTest extends MockClusterTestBase {
    private static final TestStandby STANDBY = new TestStandby("reads", 100);
    private static EmbeddedPostgresServer small;

    @Inject
    MeterRegistry meters;

    /**
     * A standby of the test database with max_connections 100 (room for every Registry of these tests, which share
     * it); the fleet's role (limit 20) is the primary's. Its budget by hand: 100 - (3 superuser-reserved + 1 spec
     * reserve + 1 probe) - 0 others - what other Registries are counted at (at most 75 here), the role's 20 - 1 probe
     * = 19: 19 available, 19 / (2 replicas + 1 surge) = 6 per pod.
     */
    private static EmbeddedPostgresServer standby() {
        return STANDBY.server();
    }

    /** A server of its own with max_connections 6: 6 - 3 - 1 - 1 = 1 for 3 pods, less than one each. */
    private static synchronized EmbeddedPostgresServer small() {
        if (small == null) {
            small = EmbeddedPostgresServer.temporary(Map.of("max_connections", "6")).start();
            small.execute("postgres", "CREATE ROLE fleet LOGIN PASSWORD 'fleet-pw'");
            small.execute("postgres", "CREATE DATABASE regfleet OWNER fleet");
        }
        return small;
    }

    @AfterAll
    static void stopReplicas() {
        STANDBY.close();
        if (small != null) {
            small.close();
        }
    }

    @Test
    void eachReplicaIsBudgetedFromItsOwnLimitsAndTheServingPodsGetThoseThatFit() {
        String ns = namespaceWithDatabase("replicas");
        int closed = FreePorts.next();
        Registry spec = SampleRegistries.onS3(ns, "reads");
        spec.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("127.0.0.1", standby().port()),
                new ReadReplicaSpec("127.0.0.1", small().port()), new ReadReplicaSpec("127.0.0.1", closed));
        spec.getSpec().database.replicaMaxLag = "5s";
        Registry registry = client.resource(spec).create();
        completeJob(awaitJob(ns, registry), true);
        Container registryContainer = container(awaitEnv(ns, "reads", PodSetting.DB_READ_REPLICAS));

        // only the standby fits: its address, each pod's pool on it, the lag bound
        String served = "127.0.0.1:" + standby().port();
        assertEquals(served, env(registryContainer, PodSetting.DB_READ_REPLICAS));
        // each pod's part is 6 (19 / 3); its pools start at the floor, the primary's 3, and may grow to 18 - 2 x 3
        assertEquals("3", env(registryContainer, PodSetting.POOL_REPLICA_MAX_SIZE));
        assertEquals("12", env(registryContainer, PodSetting.POOL_REPLICA_CEILING));
        assertEquals("5s", env(registryContainer, PodSetting.DB_REPLICA_MAX_LAG));
        // the Jobs and the ConfigMap they share with the pods use the primary only
        Container migration = client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(migration.getEnv().stream().noneMatch(e -> e.getName().startsWith("REGFLEET_DB_READ")));
        assertFalse(client.configMaps().inNamespace(ns).withName(FleetNames.runtimeConfigMap(registry)).get().getData()
                .containsKey(PodSetting.DB_READ_REPLICAS.env()));

        Registry seen = awaitCondition(ns, "reads", RegistryConditions.CONNECTION_BUDGET_READY, "False", Reasons.NO_ROOM_ON_REPLICA);
        String budgetMessage = seen.getStatus().condition(RegistryConditions.CONNECTION_BUDGET_READY).orElseThrow().getMessage();
        assertTrue(budgetMessage.contains("read replica 127.0.0.1: 1 available (max_connections 6 - reserved 5 - held by others 0) for 3 pods: 0 per pod"),
                budgetMessage);
        List<ReadReplicaStatus> replicas = seen.getStatus().readReplicas;
        assertEquals(3, replicas.size());
        assertEquals(List.of(served, "Fits", 100, 5, 0, 19, 6, 3), figures(replicas.get(0)));
        assertEquals(List.of("127.0.0.1:" + small().port(), "NoRoom", 6, 5, 0, 1, 0, 3), figures(replicas.get(1)));
        assertEquals("Unreachable", replicas.get(2).budgetState);
        assertNull(replicas.get(2).available, "never probed: no budget, not served");
        var readReplicas = seen.getStatus().condition(RegistryConditions.READ_REPLICAS_READY).orElseThrow();
        assertEquals(List.of("False", Reasons.NO_ROOM_ON_REPLICA), List.of(readReplicas.getStatus(), readReplicas.getReason()));
        assertTrue(readReplicas.getMessage().contains("read replica: cannot connect to 127.0.0.1:" + closed + " (connection refused)"),
                readReplicas.getMessage());

        // the primary's budget and share are the primary's alone: the standby's system is the same, its budget is not
        assertEquals(18, seen.getStatus().budget.available);
        assertTrue(shares.servers().stream().map(ServerShares::server).noneMatch(s -> s.id().contains("@")),
                "no replica among the shared servers");
        assertEquals(1, shares.servers().stream().filter(s -> !s.shares().isEmpty()).count());
        assertEquals(19, meters.get(ReplicaBudgetMetrics.PREFIX + "available").tags("namespace", ns, "registry", "reads",
                "replica", served).gauge().value());
        assertEquals(0, meters.get(ReplicaBudgetMetrics.PREFIX + "per.pod.pool").tags("namespace", ns, "registry", "reads",
                "replica", "127.0.0.1:" + small().port()).gauge().value());

        // a third replica slot (replicas 3 + surge 1 = 4 pods) splits the standby's 19 again: 4 each, the primary's
        // floor becomes 2 (50% of 18 / 4), and so the replica's; the pods roll
        editRegistry(ns, "reads", r -> {
            r.getSpec().replicas = 3;
            return r;
        });
        await().atMost(WAIT).until(() -> env(container(client.apps().deployments().inNamespace(ns).withName("reads").get()),
                PodSetting.POOL_REPLICA_MAX_SIZE).equals("2"));
        await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("reads").get().getStatus()
                .readReplicas.getFirst().perPodPool, pool -> pool == 4);
    }

    @Test
    void thePodsReportsFillStatusAndReadReplicasReady() throws Exception {
        String ns = namespaceWithDatabase("replicareports");
        String token = deployedOnTheStandby(ns, "seen");
        String replica = "127.0.0.1:" + standby().port();
        try (FakePodAgent a = new FakePodAgent(token, 3, 12, 0, 0); FakePodAgent b = new FakePodAgent(token, 3, 12, 0, 0)) {
            a.replicas = List.of(new ReplicaReport(replica, true, ReplicaReport.SERVING, 0.3, 6, 2, 100));
            b.replicas = List.of(new ReplicaReport(replica, true, ReplicaReport.SERVING, 0.5, 6, 1, 40));
            runningPod(ns, "seen", "seen-a", a.port());
            runningPod(ns, "seen", "seen-b", b.port());
            // a reconcile may run between the two pods' creation and see one pod: wait for both reports
            Registry serving = reconciledUntil(ns, "seen", RegistryConditions.TRUE, Reasons.REPLICAS_SERVING,
                    r -> r.getStatus().readReplicas != null
                            && Integer.valueOf(2).equals(r.getStatus().readReplicas.getFirst().reportingPods));
            ReadReplicaStatus s = serving.getStatus().readReplicas.getFirst();
            assertEquals(List.of(2, 2, 0.5), List.of(s.reportingPods, s.servingPods, s.maxLagSeconds));
            assertNull(s.quarantineReason);
            assertEquals("every pod reads from 127.0.0.1 (lag up to 0.5 s)", readReplicasReady(serving).getMessage());

            b.replicas = List.of(new ReplicaReport(replica, false, ReplicaReport.LAGGING, 7.25, 6, 0, 41));
            Registry lagging = reconciledUntil(ns, "seen", RegistryConditions.FALSE, Reasons.REPLICA_QUARANTINED);
            assertEquals("1 of 2 pods have read replica 127.0.0.1 quarantined (lagging, lag up to 7.3 s)",
                    readReplicasReady(lagging).getMessage());
            assertEquals(List.of(2, 1, "Lagging"), List.of(lagging.getStatus().readReplicas.getFirst().reportingPods,
                    lagging.getStatus().readReplicas.getFirst().servingPods, lagging.getStatus().readReplicas.getFirst().quarantineReason));

            a.replicas = List.of(new ReplicaReport(replica, false, ReplicaReport.UNREACHABLE, 0, 6, 0, 100));
            Registry unreachable = reconciledUntil(ns, "seen", RegistryConditions.FALSE, Reasons.REPLICA_UNREACHABLE);
            assertTrue(readReplicasReady(unreachable).getMessage().startsWith("2 of 2 pods have read replica 127.0.0.1 quarantined (unreachable)"));
            assertEquals(0, a.unauthorized() + b.unauthorized(), "every call carried the agent token");
        }

        // without read replicas: no condition, no status, no settings in the pods
        editRegistry(ns, "seen", r -> {
            r.getSpec().database.readReplicas = null;
            return r;
        });
        Registry without = await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("seen").get(),
                r -> r.getStatus().condition(RegistryConditions.READ_REPLICAS_READY).isEmpty());
        assertNull(without.getStatus().readReplicas);
        assertEquals(0, meters.get(io.regfleet.operator.metrics.RegistryMetrics.CONDITION).tags("namespace", ns, "registry", "seen",
                "condition", RegistryConditions.READ_REPLICAS_READY, "reason", Reasons.REPLICA_UNREACHABLE).gauge().value(),
                "the condition's gauge no longer says it holds");
        await().atMost(WAIT).until(() -> container(client.apps().deployments().inNamespace(ns).withName("seen").get()).getEnv()
                .stream().noneMatch(e -> e.getName().equals(PodSetting.DB_READ_REPLICAS.env())));
    }

    /**
     * Each replica's pools are rebalanced by demand like the primary's, within the Registry's part of the replica
     * (6 x 3 pods = 18 of the standby's 19): a pod starved for replica connections gets 18 - 3 (the empty surge slot's
     * floor) - 3 (the idle pod's floor) = 12, after the idle pod, which had 6, was lowered to the floor; the workers
     * are not the replica rebalancer's; status.readReplicas records each pod's pool.
     */
    @Test
    void aPodWithReplicaDemandGrowsAboveTheFloorOnceTheOthersShrankWithinTheRegistrysPart() throws Exception {
        String replica = "127.0.0.1:" + standby().port();
        FakePodAgent.ReplicaPool starved = new FakePodAgent.ReplicaPool(3, 10, 3);
        FakePodAgent.ReplicaPool quiet = new FakePodAgent.ReplicaPool(6, 0, 0);
        String ns = namespaceWithDatabase("replicapools");
        String token = deployedOnTheStandby(ns, "pools");
        try (FakePodAgent busy = new FakePodAgent(token, 3, 12, 0, 0); FakePodAgent idle = new FakePodAgent(token, 3, 12, 0, 0)) {
            busy.replicaPools.put(replica, starved);
            idle.replicaPools.put(replica, quiet);
            runningPod(ns, "pools", "pools-a", busy.port());
            runningPod(ns, "pools", "pools-b", idle.port());

            Registry recorded = await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("pools").get(),
                    r -> r.getStatus() != null && r.getStatus().readReplicas != null
                            && r.getStatus().readReplicas.getFirst().allocations != null
                            && r.getStatus().readReplicas.getFirst().allocations.stream()
                            .anyMatch(a -> "pools-a".equals(a.pod) && a.poolMaxSize == 12));
            assertEquals(12, starved.poolMax);
            assertEquals(3, quiet.poolMax, "the idle pod lowered to the floor");
            long shrunk = quiet.received.getFirst().getKey();
            long raised = starved.received.stream().filter(e -> e.getValue().poolMax() > 3).findFirst().orElseThrow().getKey();
            assertTrue(shrunk < raised, "the shrink came first");
            assertTrue(starved.poolMax + quiet.poolMax + 3 <= 18, "within the part, the empty slot's floor counted");
            assertTrue(starved.received.stream().allMatch(e -> e.getValue().workers() == 12), "the pod's workers sent back as they are");

            ReadReplicaStatus s = recorded.getStatus().readReplicas.getFirst();
            assertEquals(List.of(6, 18, 3, 12), List.of(s.perPodPool, s.counted, s.floor, s.poolCeiling));
            assertEquals(List.of(List.of("pools-a", 12, 12), List.of("pools-b", 3, 3)), s.allocations.stream()
                    .map(a -> List.<Object>of(a.pod, a.poolMaxSize, a.counted)).toList());
            assertEquals(java.util.Set.of(replica), rebalancers.replicasRebalanced(ns + "/pools"));

            // rebalancing off: the replica's rebalancer stops with the primary's
            editRegistry(ns, "pools", r -> {
                r.getSpec().rebalancing.enabled = false;
                return r;
            });
            await().atMost(WAIT).until(() -> rebalancers.replicasRebalanced(ns + "/pools").isEmpty());
        }
    }

    @Test
    void aReplicaTheProbeCannotReachKeepsItsRecordedBudgetAndThePodsDoNotRoll() {
        String ns = namespaceWithDatabase("replicaoutage");
        Registry spec = SampleRegistries.onS3(ns, "outage");
        spec.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("127.0.0.1", standby().port()));
        deployed(spec);
        await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("outage").get(),
                r -> r.getStatus() != null && r.getStatus().readReplicas != null && "Fits".equals(r.getStatus().readReplicas.getFirst().budgetState));
        Container before = container(awaitEnv(ns, "outage", PodSetting.DB_READ_REPLICAS));

        standby().stop();
        try {
            // a spec edit that changes nothing in the pods, for a reconciliation
            Registry during = await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                editRegistry(ns, "outage", r -> {
                    r.getSpec().database.share.weight = r.getSpec().database.share.weight == 1 ? 2 : 1;
                    return r;
                });
                return client.resources(Registry.class).inNamespace(ns).withName("outage").get();
            }, r -> "Unreachable".equals(r.getStatus().readReplicas.getFirst().budgetState));
            assertEquals(List.of("127.0.0.1:" + standby().port(), "Unreachable", 100, 5, 0, 19, 6, 3),
                    figures(during.getStatus().readReplicas.getFirst()), "the budget its status recorded stands");
            assertEquals(Reasons.REPLICA_UNREACHABLE, readReplicasReady(during).getReason());
            assertEquals(before, container(client.apps().deployments().inNamespace(ns).withName("outage").get()),
                    "the pods keep their replica (they quarantine it themselves): no roll");

            // a third pod slot while it cannot be probed: 4 pods at 6 is more than the Registry is counted at there
            // (3 x 6); a smaller pool would roll out next to the old pods' 6, so the pods stop using it until a probe
            editRegistry(ns, "outage", r -> {
                r.getSpec().replicas = 3;
                return r;
            });
            await().atMost(WAIT).until(() -> container(client.apps().deployments().inNamespace(ns).withName("outage").get())
                    .getEnv().stream().noneMatch(e -> e.getName().equals(PodSetting.DB_READ_REPLICAS.env())));
            assertEquals(3, client.apps().deployments().inNamespace(ns).withName("outage").get().getSpec().getReplicas());
        } finally {
            standby().start();
        }
    }

    @Test
    void badReadReplicaSettingsGiveAConditionAndAreNeverRewritten() {
        String ns = namespaceWithDatabase("badreplicas");
        Registry spec = SampleRegistries.onS3(ns, "odd");
        spec.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("db one,two", null));
        Registry registry = client.resource(spec).create();
        assertEquals("spec.database.readReplicas[0].host must be a host name or an IPv4 address", refusal(ns, "odd"));
        assertNull(client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).get(), "nothing deployed");
        assertEquals("db one,two", client.resources(Registry.class).inNamespace(ns).withName("odd").get()
                .getSpec().database.readReplicas.getFirst().host, "the spec as the user wrote it");

        refusedAfter(ns, "odd", r -> {
            r.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("r1.db", 5432), new ReadReplicaSpec("r1.db", 5432));
            return r;
        }, "spec.database.readReplicas[1] names r1.db:5432 a second time");
        refusedAfter(ns, "odd", r -> {
            r.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("r1.db", 5432));
            r.getSpec().database.replicaMaxLag = "0s";
            return r;
        }, "spec.database.replicaMaxLag must be a number above 0 and one unit (ms, s, m, h, d), e.g. 2s");
        refusedAfter(ns, "odd", r -> {
            r.getSpec().database.replicaMaxLag = "2s";
            r.getSpec().database.pooler = new PoolerSpec();
            return r;
        }, "spec.database.readReplicas cannot be combined with spec.database.pooler yet");
    }

    // --- helpers

    /** A Registry reading from the standby, deployed; its pods' agent token once there is one. */
    private String deployedOnTheStandby(String ns, String name) {
        Registry spec = SampleRegistries.onS3(ns, name);
        spec.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("127.0.0.1", standby().port()));
        deployed(spec);
        return await().atMost(WAIT).until(() -> agentToken(ns, name), t -> t != null);
    }

    private void refusedAfter(String ns, String name, UnaryOperator<Registry> change, String message) {
        editRegistry(ns, name, change);
        await().atMost(WAIT).until(() -> refusal(ns, name), message::equals);
    }

    private String refusal(String ns, String name) {
        return awaitCondition(ns, name, RegistryConditions.READY, "False", Reasons.INVALID_SPEC).getStatus()
                .condition(RegistryConditions.READY).orElseThrow().getMessage();
    }

    /** Reconciles (a spec edit is the event; the pods' reports come with no event of their own) until ReadReplicasReady says so. */
    private Registry reconciledUntil(String ns, String name, String status, String reason) {
        return reconciledUntil(ns, name, status, reason, r -> true);
    }

    /** The same, until the Registry also passes {@code also}. */
    private Registry reconciledUntil(String ns, String name, String status, String reason, Predicate<Registry> also) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            editRegistry(ns, name, r -> {
                r.getSpec().readOnly = !Boolean.TRUE.equals(r.getSpec().readOnly);
                return r;
            });
            return client.resources(Registry.class).inNamespace(ns).withName(name).get();
        }, r -> r.getStatus() != null && r.getStatus().condition(RegistryConditions.READ_REPLICAS_READY)
                .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason())).isPresent() && also.test(r));
    }

    private static io.fabric8.kubernetes.api.model.Condition readReplicasReady(Registry r) {
        return r.getStatus().condition(RegistryConditions.READ_REPLICAS_READY).orElseThrow();
    }

    private Deployment awaitEnv(String ns, String name, PodSetting setting) {
        return await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName(name).get(),
                d -> d != null && container(d).getEnv().stream().anyMatch(e -> e.getName().equals(setting.env())));
    }

    private static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static String env(Container c, PodSetting setting) {
        return c.getEnv().stream().filter(e -> e.getName().equals(setting.env())).map(EnvVar::getValue).findFirst()
                .orElse("");
    }

    private static List<Object> figures(ReadReplicaStatus s) {
        return List.of(s.replica, s.budgetState, s.serverMaxConnections, s.reserved, s.heldByOthers, s.available,
                s.perPodPool, s.podsCounted);
    }
}
