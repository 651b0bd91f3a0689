package io.regfleet.registry.gc;

import io.regfleet.registry.governance.DatabaseBulkhead;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collector yields when requests need the database: work queued, work shed, or every slot taken. */
class TrafficGaugeTest {
    @Test
    void busyWhileEverySlotIsTakenWhileWorkWaitsAndOnceAfterWorkWasShed() throws Exception {
        DatabaseBulkhead workers = new DatabaseBulkhead(2, 1, TimeUnit.SECONDS.toNanos(30));
        TrafficGauge traffic = new TrafficGauge(workers);
        assertFalse(traffic.busy());

        assertTrue(workers.tryAcquire());
        assertFalse(traffic.busy(), "a slot is free");
        assertTrue(workers.tryAcquire());
        assertTrue(traffic.busy(), "every slot taken");

        CountDownLatch admitted = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().start(() -> {
            if (workers.tryAcquire()) {
                admitted.countDown();
            }
        });
        while (workers.figures().waiting() == 0) {
            Thread.onSpinWait();
        }
        assertFalse(workers.tryAcquire(), "the queue is full: shed");
        workers.release();
        admitted.await();
        waiter.join();
        workers.release();
        workers.release();
        assertTrue(traffic.busy(), "nothing in flight, but work was shed since the last look");
        assertFalse(traffic.busy(), "a shed is reported once");
    }
}
