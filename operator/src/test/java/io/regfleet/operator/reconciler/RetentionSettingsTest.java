package io.regfleet.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.GarbageCollectionSpec;
import io.regfleet.operator.api.v1alpha1.ImmutableTagsSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RetentionRuleSpec;
import io.regfleet.operator.api.v1alpha1.RetentionSpec;
import io.regfleet.operator.naming.FleetNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spec.gc and spec.retention reach the pods: the collector's settings in the runtime ConfigMap, the retention and
 * immutable-tag rules as the runtime's JSON file in the rules ConfigMap that every pod (the Jobs' too) mounts. The
 * runtime reads the retention file once: a change of the rules rolls the pods. Same setup as RegistryReconcilerTest.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class RetentionSettingsTest extends MockClusterTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void collectionAndRetentionSettingsReachThePods() throws Exception {
        String ns = "retention";
        Registry spec = SampleRegistries.onS3(ns, "kept");
        spec.getSpec().gc = new GarbageCollectionSpec();
        spec.getSpec().gc.reviewDelay = "30s";
        spec.getSpec().gc.untaggedManifests = "48h";
        RetentionRuleSpec newest = new RetentionRuleSpec();
        newest.repositories = "team/**";
        newest.tags = "pr-*";
        newest.keepNewest = 10;
        newest.deleteOlderThan = "30d";
        RetentionRuleSpec old = new RetentionRuleSpec();
        old.repositories = "**";
        old.deleteOlderThan = "365d";
        ImmutableTagsSpec releases = new ImmutableTagsSpec();
        releases.repositories = "prod/**";
        releases.tags = "v*";
        spec.getSpec().retention = new RetentionSpec();
        spec.getSpec().retention.rules = List.of(newest, old);
        spec.getSpec().retention.immutableTags = List.of(releases);
        Registry registry = deployed(spec);

        ConfigMap runtime = client.configMaps().inNamespace(ns).withName("kept-runtime").get();
        assertEquals("30s", runtime.getData().get("REGFLEET_GC_REVIEW_DELAY"));
        assertEquals("48h", runtime.getData().get("REGFLEET_GC_UNTAGGED_MANIFESTS"));
        assertEquals(PodContract.RETENTION_RULES_FILE, runtime.getData().get("REGFLEET_RETENTION_RULES"));
        // in the runtime's format (RetentionRules), rules in the spec's order: the first that matches applies
        String file = client.configMaps().inNamespace(ns).withName("kept-rules").get().getData().get(PodContract.RETENTION_RULES_KEY);
        assertEquals(Map.of(
                "retention", List.of(
                        Map.of("repositories", "team/**", "tags", "pr-*", "keepNewest", 10, "deleteOlderThan", "30d"),
                        Map.of("repositories", "**", "deleteOlderThan", "365d")),
                "immutable", List.of(Map.of("repositories", "prod/**", "tags", "v*"))), JSON.readValue(file, Map.class));
        // the serving pods and the migration Job alike mount the rules (an import honours immutable tags as a push does)
        var pod = awaitDeployment(ns, "kept").getSpec().getTemplate().getSpec();
        assertTrue(pod.getContainers().get(0).getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals(PodContract.RULES_DIR)));
        Job migration = client.batch().v1().jobs().inNamespace(ns).withName(migrationJob(registry, 1)).get();
        assertTrue(migration.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .anyMatch(m -> m.getMountPath().equals(PodContract.RULES_DIR)));

        String hash = configHash(ns);
        editRegistry(ns, "kept", r -> {
            r.getSpec().retention.rules.get(0).keepNewest = 5;
            return r;
        });
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace(ns).withName("kept-rules").get().getData()
                .get(PodContract.RETENTION_RULES_KEY).contains("\"keepNewest\":5"));
        await().atMost(WAIT).until(() -> !hash.equals(configHash(ns)));

        // rules removed: the pods restart without them (the keys leave the ConfigMaps by server-side apply, which the
        // mock server lacks)
        String withRules = configHash(ns);
        editRegistry(ns, "kept", r -> {
            r.getSpec().retention = null;
            return r;
        });
        await().atMost(WAIT).until(() -> !withRules.equals(configHash(ns)));
    }

    private String configHash(String ns) {
        return client.apps().deployments().inNamespace(ns).withName("kept").get().getSpec().getTemplate().getMetadata()
                .getAnnotations().get(FleetNames.CONFIG_HASH_ANNOTATION);
    }
}
