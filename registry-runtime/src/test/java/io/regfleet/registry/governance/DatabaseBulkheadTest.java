package io.regfleet.registry.governance;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseBulkheadTest {

    @Test
    void admitsUpToTheLimitAndShedsWhenTheQueueIsFull() {
        DatabaseBulkhead b = new DatabaseBulkhead(2, 0, TimeUnit.MILLISECONDS.toNanos(10));
        assertTrue(b.tryAcquire());
        assertTrue(b.tryAcquire());
        assertFalse(b.tryAcquire());
        assertEquals(1, b.figures().shedTotal());
        b.release();
        assertTrue(b.tryAcquire());
    }

    @Test
    void aQueuedCallerGetsTheNextFreeSlot() throws Exception {
        DatabaseBulkhead b = new DatabaseBulkhead(1, 1, TimeUnit.SECONDS.toNanos(5));
        assertTrue(b.tryAcquire());
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean admitted = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            started.countDown();
            admitted.set(b.tryAcquire());
        });
        waiter.start();
        started.await();
        while (b.figures().waiting() == 0) {
            Thread.onSpinWait();
        }
        assertFalse(b.tryAcquire(), "the queue (1) is full: a third caller is shed");
        b.release();
        waiter.join(5_000);
        assertTrue(admitted.get());
        assertEquals(1, b.figures().inFlight());
    }

    @Test
    void queuedCallersGiveUpAfterTheQueueTimeout() {
        DatabaseBulkhead b = new DatabaseBulkhead(1, 4, TimeUnit.MILLISECONDS.toNanos(20));
        assertTrue(b.tryAcquire());
        assertFalse(b.tryAcquire());
        assertEquals(1, b.figures().shedTotal());
    }

    @Test
    void theLimitChangesLive() {
        DatabaseBulkhead b = new DatabaseBulkhead(1, 0, 0);
        assertTrue(b.tryAcquire());
        assertFalse(b.tryAcquire());
        b.setLimit(3);
        assertTrue(b.tryAcquire());
        assertTrue(b.tryAcquire());
        assertFalse(b.tryAcquire());
        b.setLimit(1); // running work finishes; new work waits until in flight drops below 1
        b.release();
        b.release();
        assertFalse(b.tryAcquire());
        b.release();
        assertTrue(b.tryAcquire());
    }
}
