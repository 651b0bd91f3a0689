package io.regfleet.registry.http;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestLogTest {
    @Test
    void durationsAreMillisecondsWithThreeDecimalsAsFormatWroteThem() {
        for (long nanos : new long[]{0, 499, 999, 1_234_567, 9_999_999, 1_000, 12_000, 123_000, 1_234_000, 14_210_000, 5_000_000_000L, 86_400_000_000_000L}) {
            assertEquals(String.format(Locale.ROOT, "%.3f", nanos / 1e6), RequestLog.millis(nanos), "nanos " + nanos);
        }
        assertEquals("1.235", RequestLog.millis(1_234_567), "to the nearest microsecond");
        assertEquals("0.000", RequestLog.millis(-5), "a clock that went back");
    }
}
