package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A migration finishes: its Job has a deadline, a failed Job is followed by the next attempt after a backoff (10 min
 * in tests, doubled per failure; the tests play the Job controller and date the failures), nobody deletes anything by
 * hand, and status says why each attempt failed.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class MigrationRetryTest extends MockClusterTestBase {

    @Test
    void aFailedMigrationIsRetriedWithBackoffUntilItSucceeds() {
        String ns = namespaceWithDatabase("retrymigration");
        Registry registry = client.resource(SampleRegistries.onS3(ns, "mig")).create();
        Job first = awaitJob(ns, registry, 1);
        assertEquals(1200L, first.getSpec().getActiveDeadlineSeconds(), "a pod that never starts fails the Job");
        assertEquals(2, first.getSpec().getBackoffLimit());

        // attempt 1 fails now: reported with the Job's reason, and the next attempt is 10 minutes away
        completeJob(first, "BackoffLimitExceeded", Instant.now());
        awaitCondition(ns, "mig", RegistryConditions.SCHEMA_READY, "False", RegistryConditions.Reasons.MIGRATION_FAILED);
        // a reconciliation that saw the Job running when it planned and failed when it observed reports the failure
        // without the next attempt; the Job's event brings the next reconciliation, which has both
        Registry failed = await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("mig").get(),
                r -> schema(r).contains("; attempt 2 starts at "));
        String message = schema(failed);
        assertTrue(message.startsWith("Job " + first.getMetadata().getName() + " failed: BackoffLimitExceeded (Job has reached "
                + "the specified backoff limit); attempt 2 starts at "), message);
        assertEquals(RegistryConditions.Reasons.MIGRATION_FAILED, failed.getStatus().condition(RegistryConditions.PROGRESSING)
                .orElseThrow().getReason());
        assertNull(client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 2)).get(), "not before the backoff");
        assertNull(client.apps().deployments().inNamespace(ns).withName("mig").get());

        // the failure was an hour ago: the backoff has passed, attempt 2 runs under a new name
        completeJob(first, "BackoffLimitExceeded", Instant.now().minus(Duration.ofHours(1)));
        Job second = awaitJob(ns, registry, 2);
        // its pod cannot pull the image: the kubelet says so on the pod, and so does SchemaReady
        client.resource(new PodBuilder().withNewMetadata().withName(second.getMetadata().getName() + "-x").withNamespace(ns)
                .addToLabels("job-name", second.getMetadata().getName()).endMetadata()
                .withNewSpec().addNewContainer().withName("migrate").withImage("nowhere/registry:1").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder().withName("migrate")
                        .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"nowhere/registry:1\"").endWaiting().endState().build())
                .endStatus().build()).create();
        client.batch().v1().jobs().inNamespace(ns).withName(second.getMetadata().getName()).editStatus(j -> {
            j.setStatus(new JobStatusBuilder().withActive(1).build());
            return j;
        });
        Registry waiting = await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName("mig").get(),
                r -> schema(r).contains("ImagePullBackOff"));
        assertEquals("Job " + second.getMetadata().getName() + " is migrating the schema for " + runtimeImage + " (attempt 2); its "
                + "pod waits: ImagePullBackOff: Back-off pulling image \"nowhere/registry:1\"; attempt 1 failed: "
                + "BackoffLimitExceeded (Job has reached the specified backoff limit)", schema(waiting));

        // the deadline ends it (DeadlineExceeded); after its backoff (20 minutes, passed), attempt 3, and attempt 1 goes
        completeJob(second, "DeadlineExceeded", Instant.now().minus(Duration.ofHours(1)));
        Job third = awaitJob(ns, registry, 3);
        await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns).withName(first.getMetadata().getName()).get() == null);
        assertNotNull(client.batch().v1().jobs().inNamespace(ns).withName(second.getMetadata().getName()).get(),
                "the attempt before the current one stays for its logs");
        assertTrue(schema(awaitCondition(ns, "mig", RegistryConditions.SCHEMA_READY, "False", RegistryConditions.Reasons.MIGRATION_RUNNING))
                .contains("attempt 2 failed: DeadlineExceeded"));

        completeJob(third, true);
        awaitDeployment(ns, "mig");
        awaitCondition(ns, "mig", RegistryConditions.SCHEMA_READY, "True", RegistryConditions.Reasons.MIGRATION_SUCCEEDED);
        await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns).withName(second.getMetadata().getName()).get() == null);
        assertNotNull(client.batch().v1().jobs().inNamespace(ns).withName(third.getMetadata().getName()).get(),
                "the successful Job stays: this image never migrates again");
    }

    private static String schema(Registry registry) {
        return registry.getStatus() == null ? "" : registry.getStatus().condition(RegistryConditions.SCHEMA_READY)
                .map(c -> c.getMessage()).orElse("");
    }
}
