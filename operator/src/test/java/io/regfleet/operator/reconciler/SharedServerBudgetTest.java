package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.control.share.RegistryShare;
import io.regfleet.control.share.ServerShares;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.ShareStatus;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registries on one database server share one budget (issue 14): the same embedded PostgreSQL as the other reconcile
 * tests (max_connections 30, the role limited to 20, two foreign sessions), in an application of its own (the resource
 * argument) so that no other test's Registry is on the server.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, initArgs = @ResourceArg(name = "tenancy", value = "shared-server"))
@QuarkusTestResource(S3ProxyResource.class)
class SharedServerBudgetTest extends MockClusterTestBase {

    @Test
    void registriesOnOneServerShareItsBudgetAndOneThatDoesNotFitNamesTheOthers() {
        String ns = namespaceWithDatabase("shared");
        deployed(registry(ns, "small", 1, 0));
        // the second waits (pending) until the first has given up what it held alone, then migrates and deploys
        deployed(registry(ns, "large", 3, 0));

        ShareStatus l = awaitShared(ns, "large").getStatus().share;
        ShareStatus s = awaitShared(ns, "small").getStatus().share;
        assertEquals(s.server, l.server, "one server, known by its system identifier");
        assertEquals(2, l.registries);
        assertTrue(l.guaranteed > s.guaranteed, "weight 3 is guaranteed more than weight 1: " + describe(l) + " vs " + describe(s));
        // what each fleet's pods may hold at once (replicas + surge at the starting pool) fits its own guaranteed share
        assertTrue(podsAtOnce(ns, "small") <= s.guaranteed, describe(s));
        assertTrue(podsAtOnce(ns, "large") <= l.guaranteed, describe(l));
        assertWithinTheServer(ns);
        await().atMost(WAIT).until(() -> condition(client.resources(Registry.class).inNamespace(ns).withName("small").get()).getMessage(),
                m -> m.contains("shared/large weight 3: guaranteed " + l.guaranteed));

        // a third asks for more than the first two leave: refused, naming them and their shares; nothing of it connects
        client.resource(registry(ns, "late", 1, 15)).create();
        Registry refused = awaitCondition(ns, "late", RegistryConditions.CONNECTION_BUDGET_READY, "False",
                RegistryConditions.Reasons.NO_ROOM_ON_SERVER);
        String message = condition(refused).getMessage();
        assertTrue(message.contains("shared/small weight 1: guaranteed " + s.guaranteed), message);
        assertTrue(message.contains("shared/large weight 3: guaranteed " + l.guaranteed), message);
        assertTrue(message.contains("this one's minimum 15"), message);
        assertEquals("NoRoom", await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("late").get()
                .getStatus().share, x -> x != null).state);
        assertNull(client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(refused, 1)).get(),
                "not admitted to the server: not even its migration connects");
        assertNull(client.apps().deployments().inNamespace(ns).withName("late").get());

        // the two that joined first keep their guaranteed shares (the refused one's weight takes nothing from them)
        assertEquals(s.guaranteed, awaitShared(ns, "small").getStatus().share.guaranteed);
        assertEquals(l.guaranteed, awaitShared(ns, "large").getStatus().share.guaranteed);
        assertWithinTheServer(ns);
    }

    /**
     * The invariant on the live shares: what every Registry is counted at together stays within what the server
     * leaves them; and each one's status records at least that much (what a restarted operator counts it at).
     */
    private void assertWithinTheServer(String ns) {
        ServerShares server = shares.servers().getFirst();
        assertTrue(server.committed() <= server.available(), server.shares().toString());
        for (RegistryShare r : server.shares()) {
            ShareStatus recorded = client.resources(Registry.class).inNamespace(ns).withName(r.registry().substring(ns.length() + 1))
                    .get().getStatus().share;
            assertNotNull(recorded, r.registry());
            assertTrue(recorded.counted + recorded.reserve >= r.counted() + r.reserve(), describe(recorded) + " records less than " + r);
        }
    }

    // --- helpers

    /** A Registry on S3 with rebalancing off (its pods keep the even split of its guaranteed share). */
    private static Registry registry(String ns, String name, int weight, int minimum) {
        Registry r = SampleRegistries.onS3(ns, name);
        r.getSpec().replicas = 1;
        r.getSpec().storage.s3.pathStyle = true;
        r.getSpec().rebalancing.enabled = false;
        r.getSpec().database.share.weight = weight;
        r.getSpec().database.share.minimum = minimum;
        return r;
    }

    /** Fits, and its admitted part (its reserve counted) recorded in status. */
    private Registry awaitShared(String ns, String name) {
        awaitCondition(ns, name, RegistryConditions.CONNECTION_BUDGET_READY, "True", RegistryConditions.Reasons.BUDGET_FITS);
        // described, so that a timeout says what status.share showed
        await().atMost(WAIT).until(() -> describe(client.resources(Registry.class).inNamespace(ns).withName(name).get().getStatus().share),
                d -> d.startsWith("Fits") && !d.contains("null") && !d.contains("reserve 0 "));
        return client.resources(Registry.class).inNamespace(ns).withName(name).get();
    }

    private int podsAtOnce(String ns, String name) {
        Deployment d = awaitDeployment(ns, name);
        int pool = Integer.parseInt(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("REGFLEET_POOL_MAX_SIZE")).map(EnvVar::getValue).findFirst().orElseThrow());
        int surge = d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal();
        return pool * (d.getSpec().getReplicas() + surge);
    }

    private static io.fabric8.kubernetes.api.model.Condition condition(Registry r) {
        var c = r.getStatus().condition(RegistryConditions.CONNECTION_BUDGET_READY).orElseThrow();
        assertNotNull(c.getMessage());
        return c;
    }

    private static String describe(ShareStatus s) {
        return s == null ? "no status.share" : "%s: guaranteed %s, share %s, counted %s + reserve %s of %s".formatted(s.state,
                s.guaranteed, s.share, s.counted, s.reserve, s.available);
    }
}
