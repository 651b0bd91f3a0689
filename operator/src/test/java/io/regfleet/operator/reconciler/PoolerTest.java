package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.PoolerSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spec.database.pooler: PgBouncer's objects as the budget sizes them, the registry pods pointed at its Service, and
 * everything of it gone when the spec drops it. In an application of its own (the resource argument): this Registry
 * is alone on its server.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, initArgs = @ResourceArg(name = "tenancy", value = "pooler"))
@QuarkusTestResource(S3ProxyResource.class)
class PoolerTest extends MockClusterTestBase {

    @Test
    void thePoolerHoldsTheBudgetOnTheServerAndThePodsConnectThroughIt() {
        String ns = namespaceWithDatabase("pooled");
        Registry spec = SampleRegistries.onS3(ns, "pooled");
        spec.getSpec().replicas = 4;
        spec.getSpec().storage.s3.pathStyle = true;
        spec.getSpec().database.pooler = new PoolerSpec();
        spec.getSpec().database.pooler.replicas = 2;
        spec.getSpec().database.pooler.clientConnections = 200;
        spec.getSpec().database.idleInTransactionTimeoutSeconds = 45;
        Registry registry = deployed(spec);

        // PgBouncer: 2 pods and 1 a rollout replaces, each with an even third of the fleet's 18 server connections
        Deployment pooler = awaitDeployment(ns, "pooled-pooler");
        assertEquals(2, pooler.getSpec().getReplicas());
        assertEquals(1, pooler.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal());
        assertEquals(0, pooler.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        Container bouncer = pooler.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(PoolerSpec.DEFAULT_IMAGE, bouncer.getImage());
        assertEquals("regfleet-pooler", pooler.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name"),
                "never selected by the registry Service nor counted by the rebalancer");
        assertNotNull(pooler.getSpec().getTemplate().getMetadata().getAnnotations().get("regfleet.io/config-hash"));

        Secret config = await().atMost(WAIT).until(() -> client.secrets().inNamespace(ns).withName("pooled-pooler-auth").get(),
                s -> s != null);
        String ini = text(config, "pgbouncer.ini");
        assertTrue(ini.contains("pool_mode = transaction"), ini);
        int serverConnections = setting(ini, "max_db_connections");
        assertEquals(serverConnections, setting(ini, "default_pool_size"));
        assertEquals(200, setting(ini, "max_client_conn"));
        assertTrue(serverConnections >= 2, ini);
        assertTrue(3 * serverConnections <= 18, "every PgBouncer slot at max_db_connections fits the budget: " + serverConnections);
        assertTrue(ini.contains("idle_session_timeout = 300000"), "the server reaps what PgBouncer's clients leave: " + ini);
        assertTrue(ini.contains("idle_in_transaction_session_timeout = 45000"),
                "the Registry's own idle-in-transaction timeout reaches the server sessions: " + ini);
        assertEquals("\"fleet\" \"fleet-pw\"\n", text(config, "userlist.txt"));

        Service service = client.services().inNamespace(ns).withName("pooled-pooler").get();
        assertNotNull(service);
        assertEquals(6432, service.getSpec().getPorts().get(0).getPort());
        assertEquals("regfleet-pooler", service.getSpec().getSelector().get("app.kubernetes.io/name"));

        // the registry pods: PgBouncer's Service, nothing session-scoped, their pools sized by PgBouncer's client limit
        Container pod = awaitDeployment(ns, "pooled").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("pooled-pooler", env(pod, "REGFLEET_DB_HOST"));
        assertEquals("6432", env(pod, "REGFLEET_DB_PORT"));
        assertEquals("true", env(pod, "REGFLEET_DB_TRANSACTION_POOLED"));
        int pool = Integer.parseInt(env(pod, "REGFLEET_POOL_MAX_SIZE"));
        assertTrue(pool * 5 > 18, "the client pools may hold more than the server gives: " + pool + " per pod");
        assertTrue(pool * 5 <= 200, "within PgBouncer's client limit: " + pool);

        // the migration still connects to the database itself (Flyway's session lock needs a session)
        var job = client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).get();
        assertEquals("db", job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("REGFLEET_DB_HOST")).findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName());

        Registry ready = awaitCondition(ns, "pooled", RegistryConditions.CONNECTION_BUDGET_READY, "True", RegistryConditions.Reasons.BUDGET_FITS);
        String message = ready.getStatus().condition(RegistryConditions.CONNECTION_BUDGET_READY).orElseThrow().getMessage();
        assertTrue(message.contains("PgBouncer: 2 pods + 1 replaced at " + serverConnections + " server connections each"), message);

        // the spec drops the pooler: its objects go, the pods connect to the database again
        client.resources(Registry.class).inNamespace(ns).withName("pooled").edit(r -> {
            r.getSpec().database.pooler = null;
            return r;
        });
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("pooled-pooler").get() == null
                && client.services().inNamespace(ns).withName("pooled-pooler").get() == null
                && client.secrets().inNamespace(ns).withName("pooled-pooler-auth").get() == null);
        Container direct = await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("pooled").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0), c -> c.getEnv().stream()
                .noneMatch(e -> e.getName().equals("REGFLEET_DB_TRANSACTION_POOLED")));
        assertEquals("db", direct.getEnv().stream().filter(e -> e.getName().equals("REGFLEET_DB_HOST")).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef().getName());
    }

    private static String text(Secret s, String key) {
        Map<String, String> plain = s.getStringData();
        if (plain != null && plain.containsKey(key)) {
            return plain.get(key);
        }
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static int setting(String ini, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + " = (\\d+)$").matcher(ini);
        assertTrue(m.find(), key + " not in " + ini);
        return Integer.parseInt(m.group(1));
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not set"));
    }
}
