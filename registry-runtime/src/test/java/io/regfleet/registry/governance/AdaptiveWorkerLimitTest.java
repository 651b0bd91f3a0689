package io.regfleet.registry.governance;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adaptive limit under the allocation: its bounds, and how it follows the time work holds its slot. */
class AdaptiveWorkerLimitTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Work that held its slot {@code heldMs} each, with as much in flight as the bulkhead admits. */
    private static void work(AdaptiveWorkerLimit limit, DatabaseBulkhead bulkhead, int samples, long heldMs) {
        long now = 0;
        for (int i = 0; i < samples; i++) {
            limit.workEnded(now, heldMs * MS, bulkhead.limit(), false);
            now += MS;
        }
    }

    @Test
    void neverAboveTheAllocationNorWhatThePoolServesPlusItsQueue() {
        DatabaseBulkhead bulkhead = new DatabaseBulkhead(32, 64, 0);
        AdaptiveWorkerLimit limit = new AdaptiveWorkerLimit(bulkhead, 32, 4, 2);
        assertEquals(6, bulkhead.limit(), "pool 4 + 2 waiting for a connection");
        work(limit, bulkhead, 2000, 1);
        assertEquals(6, limit.found(), "work is fast: the gradient reaches the bound");
        assertEquals(6, bulkhead.limit());
        limit.allocate(3, 4);
        assertEquals(3, bulkhead.limit(), "the operator's allocation bounds it");
        assertEquals(3, limit.allocated(), "and is what the pod agent reports");
        limit.allocate(40, 10);
        assertEquals(3, bulkhead.limit(), "a larger bound starts from where the limit was");
        work(limit, bulkhead, 2000, 1);
        assertEquals(12, bulkhead.limit(), "and fast work grows it to the larger pool plus its queue");
    }

    @Test
    void aClimbingHoldTimeLowersTheLimitAndTheBulkheadShedsSoonerThenItRecovers() {
        DatabaseBulkhead bulkhead = new DatabaseBulkhead(16, 0, 0);
        AdaptiveWorkerLimit limit = new AdaptiveWorkerLimit(bulkhead, 16, 8, 2);
        work(limit, bulkhead, 1000, 2);
        assertEquals(10, bulkhead.limit());
        work(limit, bulkhead, 60, 40); // waits for connections (or a slow database): twenty times as long
        int lowered = bulkhead.limit();
        assertTrue(lowered < 10, "lowered: " + lowered);
        for (int i = 0; i < lowered; i++) {
            assertTrue(bulkhead.tryAcquire());
        }
        assertFalse(bulkhead.tryAcquire(), "past the lowered limit, work is shed");
        for (int i = 0; i < lowered; i++) {
            bulkhead.release();
        }
        work(limit, bulkhead, 3000, 2);
        assertEquals(10, bulkhead.limit(), "back to the bound once work is fast again");
    }

    @Test
    void theFixedLimitIsTheAllocation() {
        DatabaseBulkhead bulkhead = new DatabaseBulkhead(16, 0, 0);
        FixedWorkerLimit limit = new FixedWorkerLimit(bulkhead);
        limit.workEnded(0, 1_000 * MS, 16, true);
        assertEquals(16, bulkhead.limit());
        limit.allocate(24, 4);
        assertEquals(24, bulkhead.limit());
        assertEquals(24, limit.allocated());
    }
}
