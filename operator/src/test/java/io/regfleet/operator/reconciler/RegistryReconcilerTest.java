package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.AutoscalingSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.naming.FleetNames;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import io.micrometer.core.instrument.MeterRegistry;
import io.regfleet.control.metrics.BudgetMetrics;
import io.regfleet.operator.metrics.RegistryMetrics;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconciler end to end against the mock API server and a real PostgreSQL: dependents, status, conditions. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class RegistryReconcilerTest extends MockClusterTestBase {
    @Inject
    MeterRegistry meters;

    @Test
    void aRegistryYieldsEveryDependentAndAFullStatus() {
        String ns = namespaceWithDatabase("full");
        // the bucket is checked with these credentials (S3Proxy's)
        s3CredentialsSecret(ns, "s3", s3SecretKey);
        Registry spec = registry(ns, "alpha", 2, null, 2);
        spec.getSpec().storage.s3.endpoint = s3Endpoint;
        Registry registry = client.resource(spec).create();

        Job job = awaitJob(ns, registry);
        // no spec.image: the registry image of the operator's own version
        assertEquals(runtimeImage, job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals("migrate", env(job.getSpec().getTemplate().getSpec().getContainers().get(0), "REGFLEET_MODE"));
        assertOwned(registry, job);
        // the migration has not finished: no registry pod may start yet
        assertNull(client.apps().deployments().inNamespace(ns).withName("alpha").get());
        awaitCondition(ns, "alpha", RegistryConditions.SCHEMA_READY, "False", RegistryConditions.Reasons.MIGRATION_RUNNING);
        assertEquals(1.0, condition(ns, "alpha", RegistryConditions.SCHEMA_READY, RegistryConditions.Reasons.MIGRATION_RUNNING),
                "regfleet_operator_condition follows the status");

        completeJob(job, true);
        Deployment deployment = awaitDeployment(ns, "alpha");
        awaitCondition(ns, "alpha", RegistryConditions.SCHEMA_READY, "True", RegistryConditions.Reasons.MIGRATION_SUCCEEDED);
        assertEquals(1.0, condition(ns, "alpha", RegistryConditions.SCHEMA_READY, RegistryConditions.Reasons.MIGRATION_SUCCEEDED));
        assertEquals(0.0, condition(ns, "alpha", RegistryConditions.SCHEMA_READY, RegistryConditions.Reasons.MIGRATION_RUNNING),
                "the reason it had before reads 0");
        assertEquals(18.0, meters.find(BudgetMetrics.PREFIX + "available").tags("namespace", ns, "registry", "alpha").gauge().value());
        assertOwned(registry, deployment);
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals(1, deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal());
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        // budget: 18 available over 2 replicas + 1 surge = 6 per pod, of which the default 50% is the floor: 3;
        // workers max(8, 3 x 4)
        assertEquals("3", env(c, "REGFLEET_POOL_MAX_SIZE"));
        assertEquals("12", env(c, "REGFLEET_WORKERS_LIMIT"));
        assertEquals("metadata.name", c.getEnv().stream().filter(e -> e.getName().equals("REGFLEET_POD_NAME")).findFirst()
                .orElseThrow().getValueFrom().getFieldRef().getFieldPath());
        assertEquals("db", secretRef(c, "QUARKUS_DATASOURCE_PASSWORD"));
        assertEquals("password", c.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_PASSWORD")).findFirst()
                .orElseThrow().getValueFrom().getSecretKeyRef().getKey());
        assertEquals("s3", secretRef(c, "REGFLEET_STORAGE_S3_SECRET_ACCESS_KEY"));
        assertEquals("alpha-runtime", c.getEnvFrom().get(0).getConfigMapRef().getName());
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("management", c.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(List.of(5000, 9000), c.getPorts().stream().map(p -> p.getContainerPort()).toList());
        assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(c.getSecurityContext().getRunAsNonRoot());
        assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals("/tmp", c.getVolumeMounts().stream().filter(m -> m.getName().equals("tmp")).findFirst().orElseThrow().getMountPath());
        var tokenMount = c.getVolumeMounts().stream().filter(m -> m.getName().equals("agent-token")).findFirst().orElseThrow();
        assertEquals("/var/run/regfleet/agent", tokenMount.getMountPath());
        assertTrue(tokenMount.getReadOnly());
        assertEquals("alpha-agent-token", pod.getVolumes().stream().filter(v -> v.getName().equals("agent-token")).findFirst()
                .orElseThrow().getSecret().getSecretName());
        assertEquals("kubernetes.io/hostname", pod.getTopologySpreadConstraints().get(0).getTopologyKey());

        ConfigMap config = client.configMaps().inNamespace(ns).withName("alpha-runtime").get();
        assertOwned(registry, config);
        assertEquals("alpha", config.getData().get("REGFLEET_REGISTRY_NAME"));
        assertEquals("s3", config.getData().get("REGFLEET_STORAGE_DRIVER"));
        assertEquals("images", config.getData().get("REGFLEET_STORAGE_S3_BUCKET"));
        assertEquals("true", config.getData().get("REGFLEET_STORAGE_S3_PATH_STYLE"));
        assertEquals("disable", config.getData().get("REGFLEET_DB_SSLMODE"));
        assertEquals("false", config.getData().get("REGFLEET_SCHEMA_MIGRATE_AT_START"));
        assertEquals("/var/run/regfleet/agent/token", config.getData().get("REGFLEET_AGENT_TOKEN_FILE"));
        // server-side reaping: a stopped pod's sessions and open transactions end on the server
        assertEquals("300S", config.getData().get("REGFLEET_POOL_IDLE_SESSION_TIMEOUT"));
        assertEquals("60S", config.getData().get("REGFLEET_POOL_IDLE_IN_TRANSACTION_TIMEOUT"));

        Service service = client.services().inNamespace(ns).withName("alpha").get();
        assertOwned(registry, service);
        assertEquals(List.of(5000, 9000), service.getSpec().getPorts().stream().map(p -> p.getPort()).toList());
        Secret token = client.secrets().inNamespace(ns).withName("alpha-agent-token").get();
        assertOwned(registry, token);
        PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("alpha").get();
        assertOwned(registry, pdb);
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertNull(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("alpha").get());

        Registry reconciled = awaitCondition(ns, "alpha", RegistryConditions.SCHEMA_READY, "True", RegistryConditions.Reasons.MIGRATION_SUCCEEDED);
        var status = reconciled.getStatus();
        assertEquals(reconciled.getMetadata().getGeneration(), status.observedGeneration);
        assertEquals("True", status.condition(RegistryConditions.DATABASE_READY).orElseThrow().getStatus());
        assertEquals("True", status.condition(RegistryConditions.STORAGE_READY).orElseThrow().getStatus());
        assertEquals("True", status.condition(RegistryConditions.CONNECTION_BUDGET_READY).orElseThrow().getStatus());
        assertEquals("False", status.condition(RegistryConditions.RECONCILE_ERROR).orElseThrow().getStatus());
        // no pods run on the mock server: the fleet is not ready
        assertEquals("False", status.condition(RegistryConditions.READY).orElseThrow().getStatus());
        assertFalse(reconciled.isReady());
        var budget = status.budget;
        assertEquals(30, budget.serverMaxConnections);
        assertEquals(6, budget.reserved);
        assertEquals(2, budget.heldByOthers);
        assertEquals(20, budget.roleConnectionLimit);
        assertEquals(18, budget.available);
        assertEquals(3, budget.podsCounted);
        assertEquals(1, budget.maxSurge);
        assertEquals(3, budget.perPodFloor);
        assertEquals(9, budget.allocatedTotal);
        assertEquals("9/18", status.budgetSummary);
        String explained = status.condition(RegistryConditions.CONNECTION_BUDGET_READY).orElseThrow().getMessage();
        assertTrue(explained.contains("floor of 3 per pod (50% of the even split) = 9; the other 9 shared by demand"), explained);
        assertEquals("alpha.%s.svc:5000".formatted(ns), status.endpoint);

        // the agent token is generated once and kept
        String first = tokenValue(ns, "alpha");
        editRegistry(ns, "alpha", r -> {
            r.getSpec().readOnly = true;
            return r;
        });
        await().atMost(WAIT).until(() -> "true".equals(client.configMaps().inNamespace(ns).withName("alpha-runtime").get()
                .getData().get("REGFLEET_READ_ONLY")));
        assertEquals(first, tokenValue(ns, "alpha"));
    }

    @Test
    void aTooSmallDatabaseCapsReplicasAndTheAutoscaler() {
        String ns = namespaceWithDatabase("tight");
        Registry spec = registry(ns, "tight", 2, new int[]{1, 10}, 5);
        Registry registry = client.resource(spec).create();
        completeJob(awaitJob(ns, registry), true);

        Registry capped = awaitCondition(ns, "tight", RegistryConditions.CONNECTION_BUDGET_READY, "False",
                RegistryConditions.Reasons.BUDGET_TOO_SMALL);
        String message = capped.getStatus().condition(RegistryConditions.CONNECTION_BUDGET_READY).orElseThrow().getMessage();
        // 18 available; 10 + 1 surge at >= 5 per pod do not fit; 3 pods fit -> 2 replicas + surge 1; the floor is
        // 50% of 6, raised to the minimum 5
        assertTrue(message.contains("fleet may hold 18 connections"), message);
        assertTrue(message.contains("capped to 2 replicas and surge 1"), message);
        assertEquals(2, capped.getStatus().budget.maxReplicas);
        assertEquals(5, capped.getStatus().budget.perPodFloor);

        HorizontalPodAutoscaler hpa = await().atMost(WAIT).until(
                () -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("tight").get(), h -> h != null);
        assertOwned(registry, hpa);
        assertEquals(2, hpa.getSpec().getMaxReplicas());
        assertEquals(1, hpa.getSpec().getMinReplicas());
        assertEquals("tight", hpa.getSpec().getScaleTargetRef().getName());
        Deployment deployment = awaitDeployment(ns, "tight");
        assertNull(deployment.getSpec().getReplicas(), "the autoscaler owns the replica count");
        assertEquals("5", env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), "REGFLEET_POOL_MAX_SIZE"));

        // autoscaling removed: the autoscaler goes, and the replica count is the operator's again
        editRegistry(ns, "tight", r -> {
            r.getSpec().autoscaling = null;
            return r;
        });
        await().atMost(WAIT).until(() -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("tight").get() == null);
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("tight").get().getSpec().getReplicas() != null);
    }

    @Test
    void aCappedFixedFleetGetsFewerReplicas() {
        String ns = "fixed";
        deployed(registry(ns, "fixed", 8, null, 4));
        // 18 available; 8 + 1 at >= 4 need 36; 4 pods fit -> 3 replicas + surge 1 at 4 each
        Deployment deployment = awaitDeployment(ns, "fixed");
        assertEquals(3, deployment.getSpec().getReplicas());
        assertEquals("4", env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), "REGFLEET_POOL_MAX_SIZE"));
        awaitCondition(ns, "fixed", RegistryConditions.CONNECTION_BUDGET_READY, "False", RegistryConditions.Reasons.BUDGET_TOO_SMALL);
        assertEquals(8, client.resources(Registry.class).inNamespace(ns).withName("fixed").get().getSpec().replicas,
                "the user's spec is never rewritten");
    }

    @Test
    void changingTheDatabaseSecretReReconciles() {
        String ns = "rotate";
        deployed(registry(ns, "rot", 1, null, 2));
        Deployment before = awaitDeployment(ns, "rot");
        String hashBefore = before.getSpec().getTemplate().getMetadata().getAnnotations().get(FleetNames.CONFIG_HASH_ANNOTATION);
        awaitCondition(ns, "rot", RegistryConditions.DATABASE_READY, "True", RegistryConditions.Reasons.CONNECTED);

        // point the Secret at a port where nothing listens: the next reconciliation must notice at once
        databaseSecret(ns, "db", io.regfleet.dev.FreePorts.next());
        awaitCondition(ns, "rot", RegistryConditions.DATABASE_READY, "False", RegistryConditions.Reasons.DATABASE_UNREACHABLE);
        assertEquals("Unknown", client.resources(Registry.class).inNamespace(ns).withName("rot").get().getStatus()
                .condition(RegistryConditions.CONNECTION_BUDGET_READY).orElseThrow().getStatus());

        databaseSecret(ns, "db", dbPort);
        awaitCondition(ns, "rot", RegistryConditions.DATABASE_READY, "True", RegistryConditions.Reasons.CONNECTED);
        // the pods read the Secret at start: a rotated Secret rolls them
        await().atMost(WAIT).until(() -> !hashBefore.equals(client.apps().deployments().inNamespace(ns).withName("rot").get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get(FleetNames.CONFIG_HASH_ANNOTATION)));
    }

    @Test
    void aMissingSecretOrFailedMigrationShowsInStatusAndBlocksTheRollout() {
        String ns = namespace("fail");
        Registry registry = client.resource(registry(ns, "broken", 1, null, 2)).create();
        Registry noSecret = awaitCondition(ns, "broken", RegistryConditions.DATABASE_READY, "False", RegistryConditions.Reasons.SECRET_NOT_FOUND);
        assertEquals("False", noSecret.getStatus().condition(RegistryConditions.READY).orElseThrow().getStatus());
        assertNull(client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).get());

        databaseSecret(ns, "db", dbPort);
        completeJob(awaitJob(ns, registry), false);
        Registry failed = awaitCondition(ns, "broken", RegistryConditions.SCHEMA_READY, "False", RegistryConditions.Reasons.MIGRATION_FAILED);
        assertEquals(RegistryConditions.Reasons.MIGRATION_FAILED,
                failed.getStatus().condition(RegistryConditions.PROGRESSING).orElseThrow().getReason());
        assertNull(client.apps().deployments().inNamespace(ns).withName("broken").get(), "a failed migration blocks the rollout");
    }

    @Test
    void deletingTheRegistryLeavesOnlyObjectsOwnedByIt() {
        // Kubernetes' garbage collector deletes dependents through their controller owner reference (the mock server
        // has no garbage collector): every object the operator created must carry one, and nothing is re-created.
        String ns = "delete";
        Registry registry = deployed(registry(ns, "gone", 1, null, 2));
        List<HasMetadata> created = List.of(
                client.apps().deployments().inNamespace(ns).withName("gone").get(),
                client.services().inNamespace(ns).withName("gone").get(),
                client.configMaps().inNamespace(ns).withName("gone-runtime").get(),
                client.secrets().inNamespace(ns).withName("gone-agent-token").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("gone").get(),
                client.serviceAccounts().inNamespace(ns).withName("gone").get(),
                client.network().v1().networkPolicies().inNamespace(ns).withName("gone").get(),
                client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).get());
        created.forEach(o -> assertOwned(registry, o));
        assertTrue(client.resources(Registry.class).inNamespace(ns).withName("gone").get().getMetadata().getFinalizers().isEmpty(),
                "no finalizer: deletion never waits for the operator");

        assertTrue(rebalancers.isRunning(ns + "/gone"));
        client.resources(Registry.class).inNamespace(ns).withName("gone").delete();
        await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("gone").get() == null);
        // no finalizer tells the operator: the rebalancer notices on its next round and stops itself
        await().atMost(WAIT).until(() -> !rebalancers.isRunning(ns + "/gone"));
        // what the garbage collector does on a real API server: delete every object owned by the Registry's uid
        client.apps().deployments().inNamespace(ns).withName("gone").delete();
        client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).delete();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(
                () -> client.apps().deployments().inNamespace(ns).withName("gone").get() == null
                        && client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).get() == null);
    }

    @Test
    void aNewImageMigratesOnceBeforeItsPodsRoll() {
        String ns = namespaceWithDatabase("upgrade");
        Registry registry = client.resource(registry(ns, "up", 1, null, 2)).create();
        Job first = awaitJob(ns, registry);
        completeJob(first, true);
        awaitDeployment(ns, "up");

        Registry upgraded = editRegistry(ns, "up", r -> {
            r.getSpec().image = "ghcr.io/regfleet/registry-runtime:0.2.0";
            return r;
        });
        Job second = awaitJob(ns, upgraded);
        assertFalse(first.getMetadata().getName().equals(second.getMetadata().getName()), "one Job per image");
        assertEquals("ghcr.io/regfleet/registry-runtime:0.2.0", second.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        awaitCondition(ns, "up", RegistryConditions.SCHEMA_READY, "False", RegistryConditions.Reasons.MIGRATION_RUNNING);
        // while the new schema is being applied the running pods keep the old image
        assertEquals(runtimeImage, client.apps().deployments().inNamespace(ns).withName("up").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());

        completeJob(second, true);
        await().atMost(WAIT).until(() -> "ghcr.io/regfleet/registry-runtime:0.2.0".equals(client.apps().deployments().inNamespace(ns)
                .withName("up").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        // the superseded Job goes, the current one stays (so the same image never migrates twice)
        await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns).withName(first.getMetadata().getName()).get() == null);
        assertNotNull(client.batch().v1().jobs().inNamespace(ns).withName(second.getMetadata().getName()).get());
    }

    @Test
    void monitoringObjectsExistOnlyWhereTheirCrdsAreInstalled() {
        String ns = "monitor";
        Registry registry = deployed(registry(ns, "mon", 1, null, 2));
        assertNull(client.resources(ServiceMonitor.class).inNamespace(ns).withName("mon").get(), "no CRD, no ServiceMonitor");
        assertNull(client.resources(PrometheusRule.class).inNamespace(ns).withName("mon-alerts").get(), "no CRD, no rule");
        assertNull(client.configMaps().inNamespace(ns).withName("mon-dashboard").get(), "no Prometheus Operator, no dashboard");

        installCrd("monitoring.coreos.com", "ServiceMonitor", "servicemonitors");
        installCrd("monitoring.coreos.com", "PrometheusRule", "prometheusrules");
        // the next reconciliation (a spec change here) activates the optional dependents
        editRegistry(ns, "mon", r -> {
            r.getSpec().readOnly = true;
            r.getSpec().monitoring.labels = java.util.Map.of("release", "prometheus");
            return r;
        });
        ServiceMonitor monitor = await().atMost(WAIT).until(() -> client.resources(ServiceMonitor.class).inNamespace(ns).withName("mon").get(),
                m -> m != null);
        assertOwned(registry, monitor);
        assertEquals("management", monitor.getSpec().getEndpoints().get(0).getPort());
        assertEquals("/q/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
        var relabel = monitor.getSpec().getEndpoints().get(0).getRelabelings().get(0);
        assertEquals(List.of("registry", "mon"), List.of(relabel.getTargetLabel(), relabel.getReplacement()),
                "every series of the pods carries registry");

        // a reconciliation between the CRDs' install and the edit may have made the rule first, without the labels
        PrometheusRule rule = await().atMost(WAIT).until(() -> client.resources(PrometheusRule.class).inNamespace(ns)
                .withName("mon-alerts").get(), r -> r != null && r.getMetadata().getLabels() != null
                && "prometheus".equals(r.getMetadata().getLabels().get("release")));
        assertOwned(registry, rule);
        assertEquals("prometheus", rule.getMetadata().getLabels().get("release"), "spec.monitoring.labels");
        var rules = rule.getSpec().getGroups().get(0).getRules();
        assertTrue(rules.size() >= 8, "every shipped alert: " + rules.size());
        for (var r : rules) {
            assertTrue(r.getExpr().getStrVal().contains("namespace=\"monitor\", registry=\"mon\""), r.getAlert() + " is scoped");
            assertFalse(r.getExpr().getStrVal().contains("registry!=\"\""), r.getAlert() + " reads no other Registry");
            assertTrue(r.getAnnotations().get("runbook_url").contains("docs/runbooks.md#" + r.getAlert().toLowerCase(java.util.Locale.ROOT)));
        }
        ConfigMap dashboard = await().atMost(WAIT).until(() -> client.configMaps().inNamespace(ns).withName("mon-dashboard").get(),
                c -> c != null);
        assertOwned(registry, dashboard);
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        String json = dashboard.getData().get("regfleet-monitor-mon.json");
        assertTrue(json.contains("\"title\" : \"Regfleet monitor/mon\""), "its own title");
        assertTrue(json.contains("regfleet_operator_connections_available"), "the shipped panels");

        // alerts off: the rule goes, the dashboard stays
        client.resources(Registry.class).inNamespace(ns).withName("mon").edit(r -> {
            r.getSpec().monitoring.alerts = false;
            return r;
        });
        await().atMost(WAIT).until(() -> client.resources(PrometheusRule.class).inNamespace(ns).withName("mon-alerts").get() == null);
        assertNotNull(client.configMaps().inNamespace(ns).withName("mon-dashboard").get());
    }

    /** The value of regfleet_operator_condition for that Registry, condition and reason. */
    private double condition(String ns, String name, String condition, String reason) {
        return meters.find(RegistryMetrics.CONDITION).tags("namespace", ns, "registry", name, "condition", condition, "reason", reason)
                .gauge().value();
    }

    @Test
    void aMissingVolumeClaimShowsInStorageReady() {
        String ns = namespaceWithDatabase("pvc");
        Registry spec = registry(ns, "files", 1, null, 2);
        spec.getSpec().storage = SampleRegistries.onClaim(ns, "files", "blobs").getSpec().storage;
        client.resource(spec).create();
        Registry missing = awaitCondition(ns, "files", RegistryConditions.STORAGE_READY, "False", RegistryConditions.Reasons.CLAIM_NOT_FOUND);
        assertEquals("Unknown", missing.getStatus().condition(RegistryConditions.CONNECTION_BUDGET_READY).orElseThrow().getStatus());

        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("blobs").withNamespace(ns).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteMany").withNewResources().addToRequests("storage", new Quantity("10Gi"))
                .endResources().endSpec().build()).create();
        // PVCs are not watched: the periodic recheck (or any change) picks the claim up; here a spec change
        editRegistry(ns, "files", r -> {
            r.getSpec().readOnly = true;
            return r;
        });
        Registry pending = awaitCondition(ns, "files", RegistryConditions.STORAGE_READY, "False", RegistryConditions.Reasons.CLAIM_NOT_BOUND);
        assertEquals("PersistentVolumeClaim blobs is Pending, not Bound",
                pending.getStatus().condition(RegistryConditions.STORAGE_READY).orElseThrow().getMessage());

        // the volume controller binds it (the mock server has none)
        client.persistentVolumeClaims().inNamespace(ns).withName("blobs").editStatus(c -> {
            c.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder().withPhase("Bound").build());
            return c;
        });
        editRegistry(ns, "files", r -> {
            r.getSpec().readOnly = false;
            return r;
        });
        awaitCondition(ns, "files", RegistryConditions.STORAGE_READY, "True", RegistryConditions.Reasons.CLAIM_BOUND);
        Registry registry = client.resources(Registry.class).inNamespace(ns).withName("files").get();
        completeJob(awaitJob(ns, registry), true);
        Deployment deployment = awaitDeployment(ns, "files");
        assertEquals("blobs", deployment.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals("blobs"))
                .findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
    }

    // --- helpers

    private static Registry registry(String ns, String name, int replicas, int[] autoscaling, int perPodMinimum) {
        Registry r = SampleRegistries.onS3(ns, name);
        RegistrySpec spec = r.getSpec();
        spec.replicas = replicas;
        if (autoscaling != null) {
            spec.autoscaling = new AutoscalingSpec();
            spec.autoscaling.minReplicas = autoscaling[0];
            spec.autoscaling.maxReplicas = autoscaling[1];
        }
        spec.storage.s3.pathStyle = true;
        spec.storage.s3.credentialsSecret = name.equals("alpha") ? "s3" : null;
        spec.connectionsPerPod.minimum = perPodMinimum;
        spec.connectionsPerPod.maximum = 20;
        return r;
    }

    private String tokenValue(String ns, String name) {
        Secret s = client.secrets().inNamespace(ns).withName(name + "-agent-token").get();
        return s.getData() != null && s.getData().containsKey("token") ? s.getData().get("token") : s.getStringData().get("token");
    }

    private static void assertOwned(Registry owner, HasMetadata object) {
        assertNotNull(object);
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        assertEquals(1, refs.size(), () -> object.getKind() + " " + object.getMetadata().getName() + " owner references " + refs);
        OwnerReference ref = refs.get(0);
        assertEquals(owner.getMetadata().getUid(), ref.getUid());
        assertEquals("Registry", ref.getKind());
        assertEquals("regfleet.io/v1alpha1", ref.getApiVersion());
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toList())));
    }

    private static String secretRef(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef().getName();
    }
}
