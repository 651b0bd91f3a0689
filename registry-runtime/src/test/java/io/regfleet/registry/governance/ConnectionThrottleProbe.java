package io.regfleet.registry.governance;

import java.lang.reflect.Constructor;

/** Fresh throttles for tests (production has one per JVM). */
final class ConnectionThrottleProbe {
    ConnectionThrottle fresh() {
        try {
            Constructor<ConnectionThrottle> c = ConnectionThrottle.class.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
