package io.regfleet.registry.governance;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The invariant: the pool plus the listener's connection never exceed the pod's allocation. */
class ListenerConnectionTest {

    @Test
    void thePoolAndTheListenerTogetherStayWithinEveryAllocation() {
        for (int allocated = 1; allocated <= 50; allocated++) {
            ListenerConnection listener = new ListenerConnection(true, allocated);
            boolean held = listener.tryHold(() -> {
            });
            assertTrue(listener.poolMax(allocated) >= 1, "the pool keeps at least one connection");
            assertTrue(listener.poolMax(allocated) + listener.open() <= allocated, "within " + allocated);
            assertEquals(allocated > 1, held, "the listener fits from two connections on");
        }
    }

    @Test
    void aListenerThatNoLongerFitsStepsDownBeforeTheSmallerAllocationIsApplied() {
        ListenerConnection listener = new ListenerConnection(true, 4);
        AtomicInteger stepDowns = new AtomicInteger();
        assertTrue(listener.tryHold(stepDowns::incrementAndGet));

        listener.allocated(2);
        assertEquals(0, stepDowns.get(), "two connections: one for the pool, one for the listener");
        listener.allocated(1);
        assertEquals(1, stepDowns.get());
        listener.released();

        assertEquals(0, listener.open());
        assertEquals(1, listener.poolMax(1));
        assertFalse(listener.tryHold(() -> {
        }), "no room until the allocation grows");
        listener.allocated(3);
        assertTrue(listener.tryHold(() -> {
        }));
        assertEquals(2, listener.poolMax(3));
    }

    @Test
    void theListenersConnectIsCountedOnceByItsReservationNotAgainAsAnAttempt() throws Exception {
        ConnectionThrottle throttle = new ConnectionThrottle(new ConnectionThrottle.Settings(0, 1, 1_000_000L,
                1_000_000_000L, 1_000_000_000L));
        ListenerConnection listener = new ListenerConnection(true, 4);
        assertTrue(listener.tryHold(() -> { }));
        int duringTheListenersConnect = listener.connect(() -> {
            throttle.connectStarted();
            try {
                return throttle.connecting() + listener.open();
            } finally {
                throttle.connectEnded();
            }
        });
        assertEquals(1, duringTheListenersConnect, "its reservation counts it; the throttle does not count it again");
        throttle.connectStarted();
        assertEquals(1, throttle.connecting(), "a pool connection being opened is counted");
        throttle.connectEnded();
        assertEquals(0, throttle.connecting());
    }

    @Test
    void withoutAListenerThePoolHasTheWholeAllocation() {
        ListenerConnection none = new ListenerConnection(false, 8);
        assertFalse(none.tryHold(() -> {
        }));
        assertEquals(8, none.poolMax(8));
        assertEquals(0, none.open());
    }
}
