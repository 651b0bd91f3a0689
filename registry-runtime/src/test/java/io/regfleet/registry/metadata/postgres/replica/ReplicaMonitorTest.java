package io.regfleet.registry.metadata.postgres.replica;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.regfleet.dev.EmbeddedPostgresServer;
import io.regfleet.registry.api.ReplicaTestResource;
import io.regfleet.registry.governance.ReplicaGovernance;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.regfleet.registry.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor's sample of a real standby whose pool reads hold entirely: no connection to spare is no failure, so the
 * replica keeps serving (the governed driver needs the registry's configuration: a Quarkus test, on the profile of
 * the registry API's replica tests, so the same application).
 */
@QuarkusTest
@TestProfile(ReplicaTestResource.Profile.class)
class ReplicaMonitorTest {

    @Test
    void aPoolWhoseEveryConnectionReadsHoldIsBusyNotUnreachable() throws Exception {
        EmbeddedPostgresServer standby = ReplicaTestResource.standby;
        ReplicaPool pools = new ReplicaPool(standby.jdbcUrl("regfleet"), EmbeddedPostgresServer.SUPERUSER, "postgres",
                Map.of(), 1, Duration.ofMillis(50), Duration.ofMinutes(1), Duration.ofMinutes(30), ReplicaGovernance.STANDALONE);
        try (ReadReplica replica = pools.open(new ReplicaAddress("127.0.0.1", standby.port()))) {
            ReplicaMonitor monitor = new ReplicaMonitor(List.of(replica), new WriteLsns(Duration.ofSeconds(2).toNanos()),
                    Duration.ofSeconds(1).toNanos());
            until(() -> {
                monitor.sampleAll();
                return replica.health().serving();
            }, "the standby serves");
            try (Connection heldByARead = replica.connection()) {
                for (int pass = 0; pass < 3; pass++) {
                    monitor.sampleAll();
                    assertTrue(replica.health().serving(), "its only connection lent to a read: still serving");
                }
            }
            standby.stop();
            try {
                monitor.sampleAll();
                assertEquals("Unreachable", replica.health().reason(), "a standby that is gone is out, busy or not");
            } finally {
                standby.start();
            }
        }
    }
}
