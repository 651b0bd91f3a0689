package io.regfleet.fleet.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code make run}'s variables as the local fleet reads them: a typo stops it with the variable's name. */
class LocalFleetMainTest {

    @Test
    void aNumberIsReadOrDefaultedAndAnythingElseIsRefusedByName() {
        String property = "regfleet.test.read-replicas";
        try {
            assertEquals(3, LocalFleetMain.number(property, 3));
            System.setProperty(property, " 2 ");
            assertEquals(2, LocalFleetMain.number(property, 3));
            System.setProperty(property, "abc");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> LocalFleetMain.number(property, 3));
            assertEquals(property + " must be a whole number, not \"abc\"", refused.getMessage());
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void durationsInTheirShortForms() {
        assertEquals(Duration.ofMillis(500), LocalFleetMain.duration("500ms"));
        assertEquals(Duration.ofSeconds(2), LocalFleetMain.duration("2s"));
        assertEquals(Duration.ofMinutes(1), LocalFleetMain.duration("1m"));
        assertEquals(Duration.ofSeconds(2), LocalFleetMain.duration("PT2S"));
        assertThrows(IllegalArgumentException.class, () -> LocalFleetMain.duration("soon"));
    }
}
