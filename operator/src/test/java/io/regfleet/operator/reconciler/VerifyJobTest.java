package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.VerificationStatus;
import io.regfleet.operator.dependent.VerifyJob;
import io.regfleet.operator.naming.FleetNames;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verify Jobs: one after every schema migration and one for every new value of the regfleet.io/verify annotation,
 * their connections reserved in the budget, and the summary line of the Job's pod log as status.verification and the
 * IntegrityVerified condition. The mock server has no Job controller nor kubelet: the test completes the Jobs, makes
 * their pods and answers their logs.
 */
@QuarkusTest
@TestProfile(VerifyJobTest.VerifyJobsOn.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class VerifyJobTest extends MockClusterTestBase {
    private static final String TRUNCATED = "sha256:" + "a".repeat(64), CHANGED = "sha256:" + "b".repeat(64);

    /** Verify Jobs with a pool of 2 (off in the other tests: nothing would complete them). */
    public static class VerifyJobsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("regfleet.operator.verify.connections", "2");
        }
    }

    @Test
    void aVerifyRunsAfterEveryMigrationAndOnRequestAndItsVerdictIsInStatus() {
        String ns = namespaceWithDatabase("verify");
        Registry registry = client.resource(SampleRegistries.onS3(ns, "checked")).create();
        String migration = migrationJob(registry, 1);
        completeJob(awaitJob(ns, registry), true);

        // after the migration: a verify Job of the same image, with the pool the budget reserves for it
        Job afterMigration = awaitVerifyJob(ns, registry, "migration:" + migration);
        Container c = afterMigration.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(runtimeImage, c.getImage());
        assertEquals("verify", env(c, "REGFLEET_MODE"));
        assertEquals("2", env(c, "REGFLEET_POOL_MAX_SIZE"));
        assertEquals("false", env(c, "REGFLEET_VERIFY_DEEP"));
        assertEquals("127.0.0.1", env(c, "REGFLEET_HTTP_HOST"), "a batch mode's listeners stay inside its pod");
        assertEquals("checked-runtime", c.getEnvFrom().get(0).getConfigMapRef().getName());
        assertEquals("Never", afterMigration.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertEquals(0, afterMigration.getSpec().getBackoffLimit());
        assertEquals(registry.getMetadata().getUid(), afterMigration.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("regfleet-job", afterMigration.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name"),
                "not selected by the Service nor the rebalancer");
        Registry running = awaitCondition(ns, "checked", RegistryConditions.INTEGRITY_VERIFIED, "Unknown", Reasons.VERIFY_RUNNING);
        assertEquals(VerificationStatus.RUNNING, running.getStatus().verification.state);
        // the sample reserves 1, the migration Job 1, the verify Job 2 (RegistryReconcilerTest: 6 without it)
        assertEquals(8, running.getStatus().budget.reserved);

        // it found a truncated manifest and a changed blob; the Job failed (exit 1, backoff limit 0)
        finish(afterMigration, "BackoffLimitExceeded", summary(false, 120, 300, List.of(
                failure("manifest-mismatch", TRUNCATED, "team/app"), failure("blob-size", CHANGED, null))));
        Registry failed = awaitCondition(ns, "checked", RegistryConditions.INTEGRITY_VERIFIED, "False", Reasons.INTEGRITY_FAILURES);
        Condition verdict = failed.getStatus().condition(RegistryConditions.INTEGRITY_VERIFIED).orElseThrow();
        assertTrue(verdict.getMessage().startsWith("2 integrity failures (blob-size 1, manifest-mismatch 1) in 120 manifests and 300 blobs"),
                verdict.getMessage());
        assertTrue(verdict.getMessage().contains(TRUNCATED + " manifest-mismatch in team/app"), verdict.getMessage());
        assertTrue(verdict.getMessage().contains(CHANGED + " blob-size"), verdict.getMessage());
        assertTrue(verdict.getMessage().contains("kubectl logs job/" + afterMigration.getMetadata().getName()), verdict.getMessage());
        VerificationStatus v = failed.getStatus().verification;
        assertEquals(VerificationStatus.FAILURES_FOUND, v.state);
        assertEquals(2, v.failureCount);
        assertEquals(120, v.manifests);
        assertEquals(afterMigration.getMetadata().getName(), v.job);

        // asked for, deep: a Job of its own; the last verdict stands while it runs
        editRegistry(ns, "checked", r -> {
            r.getMetadata().setAnnotations(Map.of(FleetNames.VERIFY_ANNOTATION, "after-repair", FleetNames.VERIFY_DEEP_ANNOTATION, "true"));
            return r;
        });
        Job requested = awaitVerifyJob(ns, registry, "request:after-repair");
        assertEquals("true", env(requested.getSpec().getTemplate().getSpec().getContainers().get(0), "REGFLEET_VERIFY_DEEP"));
        await().atMost(WAIT).until(() -> VerificationStatus.RUNNING.equals(status(ns).verification.state));
        assertEquals("False", status(ns).condition(RegistryConditions.INTEGRITY_VERIFIED).orElseThrow().getStatus());

        finish(requested, "Complete", summary(true, 120, 300, List.of()));
        Registry clean = awaitCondition(ns, "checked", RegistryConditions.INTEGRITY_VERIFIED, "True", Reasons.STORE_VERIFIED);
        assertTrue(clean.getStatus().condition(RegistryConditions.INTEGRITY_VERIFIED).orElseThrow().getMessage()
                .startsWith("120 manifests and 300 blobs (blob bytes re-hashed) verified by Job " + requested.getMetadata().getName()));
        assertEquals(VerificationStatus.VERIFIED, clean.getStatus().verification.state);
        assertTrue(clean.getStatus().verification.deep);

        // a new image: its migration, then a verify after it
        editRegistry(ns, "checked", r -> {
            r.getSpec().image = "registry.example/regfleet:next";
            return r;
        });
        Registry upgraded = client.resources(Registry.class).inNamespace(ns).withName("checked").get();
        completeJob(awaitJob(ns, upgraded), true);
        Job afterUpgrade = awaitVerifyJob(ns, registry, "migration:" + migrationJob(upgraded, 1));
        assertEquals("registry.example/regfleet:next", afterUpgrade.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        // of the finished Jobs the newest of each kind stays: the first one after a migration went
        await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns).withName(afterMigration.getMetadata().getName()).get() == null);
        assertTrue(client.batch().v1().jobs().inNamespace(ns).withName(requested.getMetadata().getName()).get() != null);
    }

    @Test
    void aVerifyThatPrintedNoSummaryIsIncomplete() {
        String ns = namespaceWithDatabase("verify-lost");
        Registry registry = client.resource(SampleRegistries.onS3(ns, "lost")).create();
        completeJob(awaitJob(ns, registry), true);
        Job job = awaitVerifyJob(ns, registry, "migration:" + migrationJob(registry, 1));
        // no pod left (evicted, cleaned up): nothing to read
        completeJob(job, "DeadlineExceeded", Instant.now());
        Registry lost = awaitCondition(ns, "lost", RegistryConditions.INTEGRITY_VERIFIED, "Unknown", Reasons.VERIFY_INCOMPLETE);
        assertTrue(lost.getStatus().condition(RegistryConditions.INTEGRITY_VERIFIED).orElseThrow().getMessage()
                .contains("printed no summary (its pod is gone)"));
        assertEquals(VerificationStatus.INCOMPLETE, lost.getStatus().verification.state);
        assertNull(lost.getStatus().verification.failureCount);
    }

    // --- helpers

    private Job awaitVerifyJob(String ns, Registry registry, String trigger) {
        return await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns)
                .withName(FleetNames.verifyJob(registry, trigger)).get(), j -> j != null);
    }

    /** Plays the kubelet and the Job controller: the Job's pod printed this log and exited, the Job finished. */
    private void finish(Job job, String outcome, String log) {
        String ns = job.getMetadata().getNamespace();
        String pod = job.getMetadata().getName() + "-x7k2p";
        boolean clean = outcome.equals("Complete");
        client.resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(ns)
                .addToLabels("job-name", job.getMetadata().getName()).endMetadata()
                .withNewSpec().addNewContainer().withName(VerifyJob.COMPONENT).withImage("registry:test").endContainer().endSpec()
                .withNewStatus().withPhase(clean ? "Succeeded" : "Failed").addNewContainerStatus().withName(VerifyJob.COMPONENT)
                .withNewState().withNewTerminated().withExitCode(clean ? 0 : 1).endTerminated().endState()
                .endContainerStatus().endStatus().build()).create();
        mockServer.expect().get().withPath("/api/v1/namespaces/" + ns + "/pods/" + pod + "/log?pretty=false&tailLines=200")
                .andReturn(200, "INFO verify: 8 workers over 16 ranges\n" + log + "\n").always();
        completeJob(job, outcome, Instant.now());
    }

    private static String summary(boolean deep, long manifests, long blobs, List<String> failures) {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        failures.forEach(f -> byKind.merge(f.replaceAll(".*\"kind\":\"([^\"]+)\".*", "$1"), 1L, Long::sum));
        String kinds = byKind.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(java.util.stream.Collectors.joining(","));
        return "{\"verify\":{\"run\":3,\"resumed\":false,\"deep\":" + deep + ",\"complete\":true,\"manifests\":" + manifests
                + ",\"blobs\":" + blobs + ",\"manifestBytes\":1000,\"blobBytes\":90000,\"failureCount\":" + failures.size()
                + ",\"failuresByKind\":{" + kinds + "},\"failures\":[" + String.join(",", failures) + "],"
                + "\"thisProcess\":{\"manifests\":" + manifests + ",\"blobs\":" + blobs + ",\"bytesHashed\":0,\"seconds\":1.5}}}";
    }

    private static String failure(String kind, String digest, String repository) {
        return "{\"kind\":\"" + kind + "\",\"digest\":\"" + digest + "\",\"repository\":"
                + (repository == null ? "null" : "\"" + repository + "\"") + ",\"detail\":\"differs\"}";
    }

    private io.regfleet.operator.api.v1alpha1.RegistryStatus status(String ns) {
        return client.resources(Registry.class).inNamespace(ns).withName("checked").get().getStatus();
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the container's env"));
    }
}
