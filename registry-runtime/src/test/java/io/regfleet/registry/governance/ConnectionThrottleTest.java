package io.regfleet.registry.governance;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionThrottleTest {
    private static final long MS = 1_000_000L;

    private static ConnectionThrottle throttle(double rate, int burst) {
        ConnectionThrottle t = new ConnectionThrottleProbe().fresh();
        t.configure(new ConnectionThrottle.Settings(rate, burst, 100 * MS, 2_000 * MS));
        return t;
    }

    @Test
    void burstThenTheRateAndRefusalsInBetween() throws SQLException {
        ConnectionThrottle t = throttle(10, 2);
        long now = System.nanoTime();
        t.reserve(now);
        t.reserve(now);
        assertThrows(SQLException.class, () -> t.reserve(now), "the burst is spent");
        assertThrows(SQLException.class, () -> t.reserve(now + 50 * MS), "half a slot later");
        assertDoesNotThrow(() -> t.reserve(now + 100 * MS), "one slot (1/rate) later");
        // over 10 simulated seconds at most rate x seconds (+ burst) attempts get through, however many try
        int granted = 0;
        for (long at = now + 101 * MS; at < now + 10_100 * MS; at += 5 * MS) {
            try {
                t.reserve(at);
                granted++;
            } catch (SQLException refused) {
                // over the rate
            }
        }
        assertTrue(granted >= 98 && granted <= 101, "granted " + granted);
        assertTrue(t.refusedTotal() > 1_000);
    }

    @Test
    void grantedSlotsWaitAJitterOfAtMostHalfASlot() throws SQLException {
        ConnectionThrottle t = throttle(5, 100);
        long now = System.nanoTime();
        boolean varied = false;
        long first = t.reserve(now);
        for (int i = 0; i < 50; i++) {
            long jitter = t.reserve(now);
            assertTrue(jitter >= 0 && jitter <= 100 * MS, "jitter " + jitter / MS + " ms");
            varied |= jitter != first;
        }
        assertTrue(varied, "the jitter is random");
    }

    @Test
    void refusalsDoNotStarveLaterAttempts() throws SQLException {
        ConnectionThrottle t = throttle(2, 1);
        long now = System.nanoTime();
        t.reserve(now);
        for (int i = 0; i < 10_000; i++) { // a flood of abandoned attempts
            final long at = now + i * 10_000L;
            assertThrows(SQLException.class, () -> t.reserve(at));
        }
        assertDoesNotThrow(() -> t.reserve(now + 600 * MS), "capacity returns at the rate");
    }

    @Test
    void failuresBackOffExponentiallyAndSuccessResets() {
        ConnectionThrottle t = throttle(0, 1);
        long[] refusedFor = new long[5];
        for (int i = 0; i < refusedFor.length; i++) {
            t.onFailure();
            refusedFor[i] = backoffMillis(t);
        }
        // 100 ms x 2^n, jittered into [50%, 100%], capped at 2 s
        assertTrue(refusedFor[0] <= 100 && refusedFor[0] >= 45, "first " + refusedFor[0]);
        assertTrue(refusedFor[3] >= 390 && refusedFor[3] <= 800, "fourth " + refusedFor[3]);
        assertTrue(refusedFor[4] <= 1_600, "fifth " + refusedFor[4]);
        t.onSuccess();
        assertDoesNotThrow(() -> t.reserve(System.nanoTime()));
    }

    @Test
    void unlimitedRateNeverRefuses() throws SQLException {
        ConnectionThrottle t = throttle(0, 1);
        long now = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, t.reserve(now));
        }
    }

    /** How long attempts are refused from now, found by probing (1 ms resolution). */
    private static long backoffMillis(ConnectionThrottle t) {
        long now = System.nanoTime();
        for (long ms = 0; ms < 5_000; ms++) {
            try {
                t.reserve(now + ms * MS);
                return ms;
            } catch (SQLException stillBackingOff) {
                // keep probing
            }
        }
        return -1;
    }
}
