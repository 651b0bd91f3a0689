package io.regfleet.registry.metadata.postgres.replica;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplicaAddressTest {

    @Test
    void hostsWithOrWithoutPortsTheirsOrThePrimarys() {
        assertEquals(List.of(new ReplicaAddress("r1.db", 5433), new ReplicaAddress("r2.db", 5432),
                        new ReplicaAddress("::1", 6000)),
                ReplicaAddress.parseList(" r1.db:5433, r2.db ,[::1]:6000,", 5432));
        assertEquals("r1.db:5433", new ReplicaAddress("r1.db", 5433).toString());
        assertEquals("[::1]:6000", new ReplicaAddress("::1", 6000).toString());
    }

    @Test
    void anEntryThatIsNotHostAndPortIsNamed() {
        for (String bad : new String[] {"r1:port", "r1:0", "r1:70000", ":5432", "a:b:c", "[::1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReplicaAddress.parseList(bad, 5432), bad);
            assertEquals(true, e.getMessage().contains("regfleet.db.read-replicas"), e.getMessage());
        }
    }
}
