package io.regfleet.registry.governance;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionThrottleTest {
    private static final long MS = 1_000_000L;

    private static ConnectionThrottle throttle(double rate, int burst, long maxWaitMs) {
        return new ConnectionThrottle(new ConnectionThrottle.Settings(rate, burst, 100 * MS, 2_000 * MS, maxWaitMs * MS));
    }

    @Test
    void burstThenOneTokenPerSlot() {
        ConnectionThrottle t = throttle(10, 2, 1_000);
        long now = System.nanoTime();
        assertEquals(-1, t.tryTake(now));
        assertEquals(-1, t.tryTake(now));
        long wait = t.tryTake(now);
        assertTrue(wait > 99 * MS && wait <= 100 * MS, "the next token comes one slot (1/rate) later: " + wait / MS);
        assertTrue(t.tryTake(now + 50 * MS) > 0, "half a slot later");
        assertEquals(-1, t.tryTake(now + 100 * MS));
        // over 10 simulated seconds at most rate x seconds attempts get a token, however many try
        int granted = 0;
        for (long at = now + 101 * MS; at < now + 10_100 * MS; at += 5 * MS) {
            if (t.tryTake(at) == -1) {
                granted++;
            }
        }
        assertTrue(granted >= 98 && granted <= 101, "granted " + granted);
    }

    @Test
    void abandonedAttemptsDoNotStarveLaterOnes() {
        ConnectionThrottle t = throttle(2, 1, 1_000);
        long now = System.nanoTime();
        t.tryTake(now);
        for (int i = 0; i < 10_000; i++) { // a flood of attempts that look and give up: nothing is reserved
            assertTrue(t.tryTake(now + i * 10_000L) > 0);
        }
        assertEquals(-1, t.tryTake(now + 600 * MS), "capacity returns at the rate");
    }

    @Test
    void aWaitLongerThanTheMaximumIsRefusedAtOnce() throws Exception {
        ConnectionThrottle t = throttle(0.1, 1, 100); // one token per 10 s, wait at most 100 ms
        t.beforeConnect();
        long start = System.nanoTime();
        assertThrows(SQLException.class, t::beforeConnect);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "refused without waiting the 10 s");
        assertEquals(1, t.total(ConnectionThrottle.Outcome.REFUSED));
    }

    @Test
    void anAttemptWaitsForItsTokenWithinTheMaximum() throws Exception {
        ConnectionThrottle t = throttle(20, 1, 2_000); // a token every 50 ms
        t.beforeConnect();
        t.beforeConnect(); // waits ~50 ms (+ jitter up to 25 ms) instead of failing
        assertEquals(0, t.total(ConnectionThrottle.Outcome.REFUSED));
    }

    @Test
    void failuresBackOffExponentiallyAndSuccessResets() {
        ConnectionThrottle t = throttle(0, 1, 60_000);
        long[] backoff = new long[5];
        for (int i = 0; i < backoff.length; i++) {
            t.onFailure();
            backoff[i] = t.tryTake(System.nanoTime()) / MS;
        }
        // 100 ms x 2^n, jittered into [50%, 100%], capped at 2 s
        assertTrue(backoff[0] <= 100 && backoff[0] >= 45, "first " + backoff[0]);
        assertTrue(backoff[3] >= 390 && backoff[3] <= 800, "fourth " + backoff[3]);
        assertTrue(backoff[4] <= 1_600, "fifth " + backoff[4]);
        t.onSuccess();
        assertEquals(-1, t.tryTake(System.nanoTime()));
    }

    @Test
    void unlimitedRateNeverWaits() {
        ConnectionThrottle t = throttle(0, 1, 1);
        long now = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertEquals(-1, t.tryTake(now));
        }
    }
}
