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
        ConnectionThrottle t = new ConnectionThrottleProbe().fresh();
        t.configure(new ConnectionThrottle.Settings(rate, burst, 100 * MS, 2_000 * MS, maxWaitMs * MS));
        return t;
    }

    @Test
    void burstThenPacedAtTheRateWithJitter() throws SQLException {
        ConnectionThrottle t = throttle(10, 2, 5_000);
        long now = System.nanoTime();
        assertEquals(0, t.reserve(now));
        assertEquals(0, t.reserve(now));
        // 20 more at the same instant: each waits about 100 ms more than the previous (jitter up to +50 ms)
        long previous = 0;
        for (int i = 1; i <= 20; i++) {
            long wait = t.reserve(now);
            assertTrue(wait >= i * 100 * MS - MS, "slot " + i + " waits " + wait / MS + " ms");
            assertTrue(wait <= i * 100 * MS + 50 * MS, "slot " + i + " waits " + wait / MS + " ms");
            assertTrue(wait >= previous);
            previous = wait;
        }
    }

    @Test
    void waitsLongerThanTheMaximumFailAtOnce() throws SQLException {
        ConnectionThrottle t = throttle(1, 1, 1_500);
        long now = System.nanoTime();
        t.reserve(now);
        t.reserve(now); // ~1 s
        assertThrows(SQLException.class, () -> t.reserve(now)); // ~2 s > 1.5 s
    }

    @Test
    void failuresBackOffExponentiallyAndSuccessResets() throws SQLException {
        ConnectionThrottle t = throttle(0, 1, 60_000);
        long[] waits = new long[5];
        for (int i = 0; i < waits.length; i++) {
            t.onFailure();
            waits[i] = t.reserve(System.nanoTime());
        }
        // 100 ms x 2^n, jittered into [50%, 100%], capped at 2 s
        assertTrue(waits[0] <= 100 * MS && waits[0] >= 45 * MS, "first " + waits[0] / MS);
        assertTrue(waits[3] >= 390 * MS && waits[3] <= 800 * MS, "fourth " + waits[3] / MS);
        assertTrue(waits[4] <= 1_600 * MS, "fifth " + waits[4] / MS);
        t.onSuccess();
        assertEquals(0, t.reserve(System.nanoTime()));
    }

    @Test
    void unlimitedRateNeverWaits() throws SQLException {
        ConnectionThrottle t = throttle(0, 1, 1);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, t.reserve(System.nanoTime()));
        }
        assertEquals(0, TimeUnit.NANOSECONDS.toMillis(t.reserve(System.nanoTime())));
    }
}
