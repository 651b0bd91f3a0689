package io.regfleet.registry.gc;

import io.regfleet.registry.metadata.UntaggedManifests;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GcConfigTest {
    @Test
    void untaggedManifestsAreOffOrADelay() {
        assertEquals(UntaggedManifests.OFF, GcConfig.untaggedPolicy("off"));
        assertEquals(UntaggedManifests.OFF, GcConfig.untaggedPolicy(" OFF "));
        assertEquals(UntaggedManifests.after(Duration.ofHours(48)), GcConfig.untaggedPolicy("48H"));
        assertEquals(UntaggedManifests.after(Duration.ofDays(7)), GcConfig.untaggedPolicy("7d"));
        assertEquals(UntaggedManifests.after(Duration.ZERO), GcConfig.untaggedPolicy("0s"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GcConfig.untaggedPolicy("never"));
        assertTrue(e.getMessage().contains("regfleet.gc.untagged-manifests"));
        assertThrows(IllegalArgumentException.class, () -> GcConfig.untaggedPolicy("-5s"));
    }
}
