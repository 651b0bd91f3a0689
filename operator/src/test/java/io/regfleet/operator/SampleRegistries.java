package io.regfleet.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.regfleet.operator.api.v1alpha1.DatabaseSpec;
import io.regfleet.operator.api.v1alpha1.FilesystemStorageSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.api.v1alpha1.S3StorageSpec;
import io.regfleet.operator.api.v1alpha1.SslMode;
import io.regfleet.operator.api.v1alpha1.StorageSpec;

/** Registries as tests write them: the spec's defaults, the database in Secret {@code db}, blobs on S3 or a claim. */
public final class SampleRegistries {
    private SampleRegistries() {
    }

    /**
     * Blobs in the bucket {@code images} of an S3-compatible store; the database without TLS (the test database has
     * none) with one connection reserved for others.
     */
    public static Registry onS3(String namespace, String name) {
        Registry r = named(namespace, name);
        r.getSpec().storage.s3 = new S3StorageSpec();
        r.getSpec().storage.s3.bucket = "images";
        r.getSpec().storage.s3.endpoint = "http://s3.example:9000";
        r.getSpec().database.sslMode = SslMode.DISABLE;
        r.getSpec().database.reservedConnections = 1;
        return r;
    }

    /** Blobs on the PersistentVolumeClaim {@code claim}. */
    public static Registry onClaim(String namespace, String name, String claim) {
        Registry r = named(namespace, name);
        r.getSpec().storage.filesystem = new FilesystemStorageSpec();
        r.getSpec().storage.filesystem.claimName = claim;
        return r;
    }

    private static Registry named(String namespace, String name) {
        Registry r = new Registry();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        RegistrySpec spec = new RegistrySpec();
        spec.storage = new StorageSpec();
        spec.database = new DatabaseSpec();
        spec.database.secretName = "db";
        r.setSpec(spec);
        return r;
    }
}
