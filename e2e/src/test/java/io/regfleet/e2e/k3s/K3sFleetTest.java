package io.regfleet.e2e.k3s;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.regfleet.e2e.ConnectionSampler;
import io.regfleet.e2e.Fleets;
import io.regfleet.e2e.LoadGenerator;
import io.regfleet.operator.api.v1alpha1.BudgetStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenarios 1 (skewed load) and 3 (restart storm) of the end-to-end suite in a real cluster: the operator installed
 * from config/default, a 3-replica Registry on PostgreSQL 18 (max_connections 40) in the cluster, and
 * pg_stat_activity sampled every 50 ms through a port-forward. Needs Docker (skipped without it) and the packaged
 * operator and registry-runtime (target/quarkus-app), from which it builds the images as make images does: on the
 * Debian JRE base (root and mmdebstrap) or on -Dregfleet.images.base=eclipse-temurin:21-jre.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class K3sFleetTest {
    private static final String NAMESPACE = "regfleet-e2e";
    private static final String REGISTRY = "fleet";
    private static final String DB_SECRET = "registry-db";
    private static final int REPLICAS = 3;
    private static final String TAG = "e2e";

    private static final DockerImageName K3S_IMAGE = DockerImageName.parse("rancher/k3s:v1.31.6-k3s1");

    // started in @BeforeAll, not a @Container field: its constructor needs Docker, and JUnit initialises this class
    // (reading the extension field below) before @Testcontainers gets to skip it
    private static K3sContainer k3s;

    @RegisterExtension
    static final ClusterDiagnostics DIAGNOSTICS = new ClusterDiagnostics(() -> k3s == null ? null : new Kubectl(k3s));

    private static KubernetesClient client;
    private static ClusterRegistry registry;
    private static LocalPortForward postgresForward;
    private static ConnectionSampler sampler;

    @BeforeAll
    static void installFleet() {
        RepositoryLayout repo = RepositoryLayout.fromSystemProperty();
        k3s = new K3sContainer(K3S_IMAGE);
        k3s.start();
        Kubectl kubectl = new Kubectl(k3s);
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();

        ClusterImages.Loaded images = ClusterImages.buildAndLoad(repo, kubectl, TAG);

        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        ClusterPostgres.deploy(client, NAMESPACE);
        ClusterPostgres.createSecret(client, NAMESPACE, DB_SECRET);
        OperatorInstall.apply(repo, kubectl, images.operatorName(), images.tag(), images.runtimeImage());
        ClusterPostgres.awaitReady(client, NAMESPACE);
        OperatorInstall.awaitReady(client);

        postgresForward = ClusterPostgres.portForward(client, NAMESPACE);
        sampler = new ConnectionSampler(ClusterPostgres.jdbcUrl(postgresForward), ClusterPostgres.USER, ClusterPostgres.PASSWORD);

        registry = new ClusterRegistry(client, NAMESPACE, REGISTRY);
        registry.create(REPLICAS, DB_SECRET);
        registry.awaitReady(Duration.ofMinutes(5));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        // in the order they were opened, last first; K3sContainer.close() stops the cluster
        for (AutoCloseable part : Arrays.asList(sampler, postgresForward, client, k3s)) {
            if (part != null) {
                part.close();
            }
        }
    }

    /** Scenario 1: one pod under load gets a pool above the floor, and the fleet never holds more than the budget. */
    @Test
    @Order(1)
    void skewedLoadRaisesTheLoadedPodsPoolWithinTheBudget() throws Exception {
        String pod = registry.readyPods().getFirst().getMetadata().getName();
        int poolMaxSeen = 0;
        LoadGenerator load;
        try (LocalPortForward forward = client.pods().inNamespace(NAMESPACE).withName(pod).portForward(5000)) {
            String baseUrl = "http://127.0.0.1:" + forward.getLocalPort();
            String manifestUrl = baseUrl + Fleets.pushImage(baseUrl);
            sampler.resetPeak();
            load = new LoadGenerator(48, () -> manifestUrl);
            try (load) {
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < end) {
                    Thread.sleep(2_000);
                    poolMaxSeen = Math.max(poolMaxSeen, registry.poolMaxOf(pod));
                }
            }
        }
        BudgetStatus budget = registry.requireBudget();
        int available = budget.available;
        int floor = budget.perPodFloor;
        int peak = sampler.peak();
        System.out.println("FIGURE k3s-skewed-load pod=" + pod + " poolMaxSeen=" + poolMaxSeen + " perPodFloor=" + floor
                + " peak=" + peak + " available=" + available + " statuses=" + load.statuses()
                + " connectErrors=" + load.connectErrors());

        assertTrue(load.count(200) > 0, "the loaded pod served no pull: " + load.statuses());
        assertTrue(poolMaxSeen > floor, "status.allocations never raised " + pod + " above the floor " + floor
                + " (highest seen " + poolMaxSeen + "); status: " + Serialization.asJson(registry.status()));
        assertTrue(peak <= available, "the fleet held " + peak + " connections, budget " + available);
    }

    /** Scenario 3: every pod killed at once under load; the fleet comes back and never exceeds the budget meanwhile. */
    @Test
    @Order(2)
    void restartStormStaysWithinTheBudget() throws Exception {
        String manifestPath = "/v2/" + Fleets.REPO + "/manifests/v1"; // pushed by scenario 1, blobs on the PVC
        sampler.resetPeak();
        LoadGenerator load;
        long servedBeforeKill;
        List<String> killed;
        try (PodPortForwards forwards = new PodPortForwards(registry)) {
            load = new LoadGenerator(24, () -> forwards.baseUrl() + manifestPath);
            try (load) {
                Thread.sleep(10_000);
                servedBeforeKill = load.count(200);
                killed = registry.killAllPods();
                registry.awaitDeploymentAvailable(Duration.ofMinutes(5));
                registry.awaitReady(Duration.ofMinutes(2));
                Thread.sleep(10_000); // load on the replacements
            }
        }
        int available = registry.requireBudget().available;
        int peak = sampler.peak();
        List<String> now = registry.readyPods().stream().map(p -> p.getMetadata().getName()).toList();
        System.out.println("FIGURE k3s-restart-storm killed=" + killed.size() + " peak=" + peak + " available=" + available
                + " statuses=" + load.statuses() + " connectErrors=" + load.connectErrors());

        assertTrue(killed.size() >= REPLICAS, "expected " + REPLICAS + " pods to kill, found " + killed);
        assertTrue(now.stream().noneMatch(killed::contains), "killed pods still listed as ready: " + now);
        assertNotEquals(servedBeforeKill, load.count(200), "no pull served after the pods were replaced");
        assertTrue(peak <= available, "the fleet held " + peak + " connections during the storm, budget " + available);
    }
}
