package io.regfleet.registry.gc;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.registry.PostgresTestResource;

/** The race on the filesystem driver. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(GcRaceScenario.Profile.class)
class GcRaceTest extends GcRaceScenario {
}
