package io.regfleet.registry.governance;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionOptionsTest {
    private static PoolConfig pool(Duration idleTimeout, Duration idleSessionTimeout) {
        return new PoolConfig() {
            public int maxSize() { return 8; }
            public OptionalInt ceiling() { return OptionalInt.empty(); }
            public OptionalInt replicaMaxSize() { return OptionalInt.empty(); }
            public OptionalInt replicaCeiling() { return OptionalInt.empty(); }
            public Duration acquireTimeout() { return Duration.ofSeconds(1); }
            public Duration idleTimeout() { return idleTimeout; }
            public Duration maxLifetime() { return Duration.ofMinutes(30); }
            public double connectRate() { return 5; }
            public int connectBurst() { return 2; }
            public Duration connectWait() { return Duration.ofSeconds(5); }
            public Duration backoffInitial() { return Duration.ofMillis(200); }
            public Duration backoffMax() { return Duration.ofSeconds(10); }
            public Duration statementTimeout() { return Duration.ofSeconds(30); }
            public Duration idleInTransactionTimeout() { return Duration.ofSeconds(60); }
            public Duration idleSessionTimeout() { return idleSessionTimeout; }
        };
    }

    @Test
    void idleSessionTimeoutGoesOnlyToServersThatKnowIt() {
        SessionOptions options = SessionOptions.of(pool(Duration.ofSeconds(60), Duration.ofMinutes(5)), false, false);
        assertEquals("-c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000", options.startup(false));
        assertEquals("-c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000 -c idle_session_timeout=300000",
                options.startup(true));
    }

    @Test
    void migrationsGetNoTimeoutsAndZeroTurnsReapingOff() {
        assertEquals("", SessionOptions.of(pool(Duration.ofSeconds(60), Duration.ofMinutes(5)), true, false).startup(true));
        assertEquals("-c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000",
                SessionOptions.of(pool(Duration.ofSeconds(60), Duration.ZERO), false, false).startup(true));
    }

    @Test
    void aServerTimeoutThePoolWouldNotBeatIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionOptions.of(pool(Duration.ofSeconds(60), Duration.ofSeconds(90)), false, false));
        assertTrue(e.getMessage().contains("regfleet.pool.idle-session-timeout (PT1M30S) must be longer than twice"), e.getMessage());
    }
}
