package io.regfleet.registry.metadata.postgres.replica;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LsnTest {

    @Test
    void parsesBothHalvesAsHexadecimalAndPrintsAsPostgresDoes() {
        assertEquals(0x16_B374D848L, Lsn.parse("16/B374D848").value());
        assertEquals("16/B374D848", Lsn.parse("16/b374d848").toString());
        assertEquals(Lsn.ZERO, Lsn.parse("0/0"));
        assertEquals("FFFFFFFF/FFFFFFFF", Lsn.parse("FFFFFFFF/FFFFFFFF").toString());
    }

    @Test
    void comparesAsPositionsTheLowHalfCarryingIntoTheHighOne() {
        assertTrue(Lsn.parse("1/0").compareTo(Lsn.parse("0/FFFFFFFF")) > 0);
        assertTrue(Lsn.parse("0/10").reached(Lsn.parse("0/10")));
        assertFalse(Lsn.parse("0/F").reached(Lsn.parse("0/10")));
        // the top bit set is still after every smaller position (unsigned)
        assertTrue(Lsn.parse("80000000/0").reached(Lsn.parse("7FFFFFFF/FFFFFFFF")));
        assertEquals(Lsn.parse("2/1"), Lsn.max(Lsn.parse("2/1"), Lsn.parse("1/FFFFFFFF")));
    }

    @Test
    void refusesWhatIsNotAPosition() {
        for (String text : new String[] {null, "", "16", "/1", "1/", "1/2/3", "G/1", "+1/2", "-1/2", "123456789/1", " 1/2"}) {
            assertThrows(IllegalArgumentException.class, () -> Lsn.parse(text), String.valueOf(text));
        }
    }
}
