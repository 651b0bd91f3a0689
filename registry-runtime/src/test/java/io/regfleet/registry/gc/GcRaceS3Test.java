package io.regfleet.registry.gc;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.S3TestResource;
import io.regfleet.registry.blob.BlobStore;
import io.regfleet.registry.blob.BlobStoreProducer;
import io.regfleet.registry.blob.S3BlobStore;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The race on the S3 driver, against S3Proxy. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(value = S3TestResource.class, restrictToAnnotatedClass = true)
@TestProfile(GcRaceScenario.Profile.class)
class GcRaceS3Test extends GcRaceScenario {
    @BeforeEach
    void onS3() {
        assertInstanceOf(S3BlobStore.class, BlobStoreProducer.driverOf(ClientProxy.unwrap(Arc.container().instance(BlobStore.class).get())));
    }
}
