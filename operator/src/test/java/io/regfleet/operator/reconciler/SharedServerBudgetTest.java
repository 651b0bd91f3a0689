package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
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
        deployed(registry(ns, "large", 3, 0));

        Registry small = awaitShared(ns, "small");
        Registry large = awaitShared(ns, "large");
        ShareStatus s = small.getStatus().share;
        ShareStatus l = large.getStatus().share;
        assertEquals(s.server, l.server, "one server, known by its system identifier");
        assertEquals(s.available, l.available);
        assertTrue(l.guaranteed > s.guaranteed, "weight 3 is guaranteed more than weight 1: " + l.guaranteed + " vs " + s.guaranteed);
        assertTrue(s.counted + s.reserve + l.counted + l.reserve <= s.available,
                "together within what the server leaves them: " + describe(s) + " and " + describe(l));
        // what each fleet's pods may hold at once (replicas + surge at the starting pool) fits its own guaranteed share
        assertTrue(podsAtOnce(ns, "small") <= s.guaranteed, describe(s));
        assertTrue(podsAtOnce(ns, "large") <= l.guaranteed, describe(l));
        String smallSays = condition(small).getMessage();
        assertTrue(smallSays.contains("shared/large weight 3: guaranteed " + l.guaranteed), smallSays);

        // a third asks for more than the first two leave: refused, naming them and their shares; nothing of it connects
        Registry late = registry(ns, "late", 1, 15);
        client.resource(late).create();
        Registry refused = awaitCondition(ns, "late", RegistryConditions.CONNECTION_BUDGET_READY, "False",
                RegistryConditions.Reasons.NO_ROOM_ON_SERVER);
        String message = condition(refused).getMessage();
        assertTrue(message.contains("shared/small weight 1: guaranteed"), message);
        assertTrue(message.contains("shared/large weight 3: guaranteed"), message);
        assertTrue(message.contains("this one's minimum 15"), message);
        assertEquals("NoRoom", refused.getStatus().share.state);
        assertNull(client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(refused, 1)).get(),
                "not admitted to the server: not even its migration connects");
        assertNull(client.apps().deployments().inNamespace(ns).withName("late").get());

        // the two that joined first still fit, and still add up
        Registry smallAfter = awaitCondition(ns, "small", RegistryConditions.CONNECTION_BUDGET_READY, "True",
                RegistryConditions.Reasons.BUDGET_FITS);
        Registry largeAfter = awaitCondition(ns, "large", RegistryConditions.CONNECTION_BUDGET_READY, "True",
                RegistryConditions.Reasons.BUDGET_FITS);
        ShareStatus s2 = smallAfter.getStatus().share;
        ShareStatus l2 = largeAfter.getStatus().share;
        assertTrue(s2.counted + s2.reserve + l2.counted + l2.reserve <= s2.available, describe(s2) + " and " + describe(l2));
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
