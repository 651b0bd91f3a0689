package io.regfleet.control.budget;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fleet's budget on one read replica, from the replica's own limits. */
class ReplicaBudgetTest {

    @Test
    void theReplicasOwnLimitsSplitAmongEveryPodThatCanExist() {
        // 100 - (3 superuser + 2 reserved_connections + 1 spec + 1 probe) - 5 others = 88; 88 / (4 replicas + 1 surge) = 17
        ReplicaBudget b = ReplicaBudget.compute(new DatabaseLimits(100, 3, 2, -1, 5, false), 1, 5, 20);
        assertEquals(new ReplicaBudget(100, 7, 5, 0, -1, 88, 5, 17), b);
        assertEquals(85, b.allocatedTotal());
        assertTrue(b.fits());
        assertEquals("88 available (max_connections 100 - reserved 7 - held by others 5) for 5 pods: 17 per pod", b.explain());
    }

    @Test
    void noMigrationNorVerifyJobIsCountedOnAReplica() {
        // the primary keeps 2 for the operator (probe + migration Job); a replica only the probe's 1
        ReplicaBudget b = ReplicaBudget.compute(new DatabaseLimits(30, 3, 0, -1, 0, false), 0, 2, 100);
        assertEquals(26, b.available());
        assertEquals(13, b.perPodPool());
    }

    @Test
    void auroraAndTheRoleLimitHoldBackTheirShare() {
        ReplicaBudget aurora = ReplicaBudget.compute(new DatabaseLimits(50, 3, 0, -1, 0, true), 0, 4, 100);
        assertEquals(50 - 3 - 3 - 1, aurora.available());
        ReplicaBudget role = ReplicaBudget.compute(new DatabaseLimits(500, 3, 0, 10, 0, false), 0, 3, 100);
        assertEquals(9, role.available(), "the role's 10 less the operator's probe");
        assertEquals(3, role.perPodPool());
    }

    @Test
    void thePerPodMaximumCapsThePool() {
        assertEquals(20, ReplicaBudget.compute(new DatabaseLimits(1000, 3, 0, -1, 0, false), 0, 3, 20).perPodPool());
    }

    @Test
    void lessThanOneConnectionPerPodDoesNotFit() {
        // 10 - 3 - 1 - 4 others = 2 for 3 pods
        ReplicaBudget b = ReplicaBudget.compute(new DatabaseLimits(10, 3, 0, -1, 4, false), 0, 3, 20);
        assertEquals(2, b.available());
        assertEquals(0, b.perPodPool());
        assertFalse(b.fits());
        ReplicaBudget over = ReplicaBudget.compute(new DatabaseLimits(10, 3, 0, -1, 40, false), 0, 3, 20);
        assertEquals(0, over.available(), "never negative");
        assertTrue(ReplicaBudget.compute(new DatabaseLimits(10, 3, 0, -1, 40, false), 0, 0, 20).fits(),
                "no pod asks for nothing");
    }

    @Test
    void badRequestsAreRefused() {
        DatabaseLimits limits = new DatabaseLimits(10, 3, 0, -1, 0, false);
        assertThrows(IllegalArgumentException.class, () -> ReplicaBudget.compute(limits, -1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ReplicaBudget.compute(limits, 0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> ReplicaBudget.compute(limits, 0, 1, 0));
    }

    /** Any replica's limits: its max_connections, reserves, role limit, clients outside the fleet, Aurora or not. */
    @Provide
    Arbitrary<DatabaseLimits> replicas() {
        return Combinators.combine(Arbitraries.integers().between(1, 10_000), Arbitraries.integers().between(0, 50),
                        Arbitraries.integers().between(0, 50), Arbitraries.integers().between(-1, 5_000),
                        Arbitraries.integers().between(0, 5_000), Arbitraries.of(true, false))
                .as(DatabaseLimits::new);
    }

    @Property(tries = 3000)
    void everyPodThatCanExistPlusTheReservesStayWithinTheReplica(@ForAll("replicas") DatabaseLimits replica,
            @ForAll @IntRange(min = 0, max = 2_000) int specReserved, @ForAll @IntRange(min = 0, max = 600) int pods,
            @ForAll @IntRange(min = 1, max = 500) int perPodMaximum) {
        ReplicaBudget b = ReplicaBudget.compute(replica, specReserved, pods, perPodMaximum);
        long held = (long) replica.superuserReservedConnections() + replica.reservedConnections() + (replica.aurora() ? 3 : 0)
                + specReserved + 1 + replica.heldByOthers();
        assertTrue(b.allocatedTotal() + held <= Math.max(replica.maxConnections(), held), () -> "over max_connections: " + b);
        if (replica.roleConnectionLimit() >= 0) {
            assertTrue(b.allocatedTotal() + 1 <= Math.max(replica.roleConnectionLimit(), 1), () -> "over the role's limit: " + b);
        }
        assertTrue(b.allocatedTotal() <= b.available(), () -> "over available: " + b);
        assertTrue(b.perPodPool() <= perPodMaximum, () -> "over the per-pod maximum: " + b);
        assertEquals(pods == 0 || b.perPodPool() >= 1, b.fits());
        if (pods > 0 && b.perPodPool() < perPodMaximum) {
            assertTrue((long) (b.perPodPool() + 1) * pods > b.available(), () -> "a larger pool would have fit: " + b);
        }
    }
}
