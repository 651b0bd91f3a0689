package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * StorageReady checks what the pods will use: the bucket with the Registry's credentials (HeadBucket against S3Proxy,
 * a real S3 endpoint), or the claim's phase.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class StorageReadyTest extends MockClusterTestBase {

    @Test
    void theBucketIsCheckedWithTheRegistrysCredentials() {
        String ns = namespaceWithDatabase("buckets");
        s3CredentialsSecret(ns, "good", s3SecretKey);
        s3CredentialsSecret(ns, "bad", "not-the-secret-key");

        client.resource(onS3(ns, "lost", "no-such-bucket", "good")).create();
        Registry lost = awaitCondition(ns, "lost", RegistryConditions.STORAGE_READY, "False", RegistryConditions.Reasons.BUCKET_NOT_FOUND);
        assertEquals("bucket no-such-bucket at " + s3Endpoint + " does not exist", message(lost));
        assertEquals(RegistryConditions.Reasons.PREREQUISITES_NOT_MET,
                lost.getStatus().condition(RegistryConditions.READY).orElseThrow().getReason());

        client.resource(onS3(ns, "denied", S3ProxyResource.BUCKET, "bad")).create();
        Registry denied = awaitCondition(ns, "denied", RegistryConditions.STORAGE_READY, "False", RegistryConditions.Reasons.ACCESS_DENIED);
        assertEquals("bucket images at " + s3Endpoint + " refuses the credentials of Secret bad (HTTP 403)", message(denied));

        // fixed in the spec: the next reconciliation finds the bucket
        client.resources(Registry.class).inNamespace(ns).withName("lost").edit(r -> {
            r.getSpec().storage.s3.bucket = S3ProxyResource.BUCKET;
            return r;
        });
        Registry found = awaitCondition(ns, "lost", RegistryConditions.STORAGE_READY, "True", RegistryConditions.Reasons.BUCKET_FOUND);
        assertEquals("bucket images at " + s3Endpoint, message(found));
        completeJob(awaitJob(ns, found), true);
        awaitDeployment(ns, "lost");
    }

    @Test
    void aClaimWaitingForItsFirstPodIsReady() {
        String ns = namespaceWithDatabase("lazyclaim");
        client.resource(new StorageClassBuilder().withNewMetadata().withName("lazy").endMetadata()
                .withProvisioner("example.com/lazy").withVolumeBindingMode("WaitForFirstConsumer").build()).createOr(c -> c.update());
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("blobs").withNamespace(ns).endMetadata()
                .withNewSpec().withStorageClassName("lazy").withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        Registry spec = SampleRegistries.onClaim(ns, "lazy", "blobs");
        spec.getSpec().replicas = 1;
        client.resource(spec).create();
        Registry ready = awaitCondition(ns, "lazy", RegistryConditions.STORAGE_READY, "True", RegistryConditions.Reasons.STORAGE_CONFIGURED);
        assertEquals("PersistentVolumeClaim blobs binds when its first pod is scheduled (volumeBindingMode WaitForFirstConsumer)",
                message(ready));
    }

    private Registry onS3(String ns, String name, String bucket, String credentials) {
        Registry r = SampleRegistries.onS3(ns, name);
        r.getSpec().storage.s3.bucket = bucket;
        r.getSpec().storage.s3.endpoint = s3Endpoint;
        r.getSpec().storage.s3.pathStyle = true;
        r.getSpec().storage.s3.credentialsSecret = credentials;
        return r;
    }

    private static String message(Registry registry) {
        return registry.getStatus().condition(RegistryConditions.STORAGE_READY).orElseThrow().getMessage();
    }
}
