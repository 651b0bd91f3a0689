package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reconciliation that keeps failing is retried with backoff for as long as it fails, so a cause fixed outside the
 * Registry heals it without anyone touching the Registry; meanwhile ReconcileError says what the API server said, on
 * one short line.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class ReconcileRetryTest extends MockClusterTestBase {
    /** More than JOSDK's default of 5 retries, after which it used to give up until the Registry changed. */
    private static final int REFUSALS = 8;

    @Test
    void aRegistryThatFailsRecoversOnceTheCauseIsFixed() {
        String ns = namespaceWithDatabase("forbidden");
        // the operator's ServiceAccount may not create Jobs (RBAC without patch, as issue 11 saw it), REFUSALS times;
        // then it may: the cause is fixed, the Registry untouched
        String refusal = "jobs.batch is forbidden: User \"system:serviceaccount:regfleet-system:regfleet-operator\" cannot "
                + "patch resource \"jobs\" in API group \"batch\" in the namespace \"" + ns + "\"";
        mockServer.expect().post().withPath("/apis/batch/v1/namespaces/" + ns + "/jobs")
                .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                        .withMessage(refusal).build())
                .times(REFUSALS);
        Registry registry = client.resource(SampleRegistries.onS3(ns, "denied")).create();

        Registry failing = awaitCondition(ns, "denied", RegistryConditions.RECONCILE_ERROR, "True", RegistryConditions.Reasons.RECONCILE_FAILED);
        String message = failing.getStatus().condition(RegistryConditions.RECONCILE_ERROR).orElseThrow().getMessage();
        assertEquals("the API server answered 403: " + refusal + " (grant it to the operator's ServiceAccount: "
                + "config/rbac/role.yaml)", message);
        assertTrue(message.length() <= 300, message);
        assertFalse(message.contains("\n") || message.contains("\tat ") || message.contains("Exception"), message);
        assertEquals(RegistryConditions.Reasons.RECONCILE_FAILED, failing.getStatus().condition(RegistryConditions.READY)
                .orElseThrow().getReason());

        awaitJob(ns, registry);
        Registry healed = awaitCondition(ns, "denied", RegistryConditions.RECONCILE_ERROR, "False", RegistryConditions.Reasons.RECONCILED);
        assertEquals(registry.getMetadata().getGeneration(), healed.getMetadata().getGeneration(), "nobody edited the Registry");
        assertTrue(healed.getStatus().condition(RegistryConditions.SCHEMA_READY).isPresent());
    }
}
