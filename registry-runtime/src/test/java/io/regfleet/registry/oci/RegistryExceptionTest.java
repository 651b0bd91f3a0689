package io.regfleet.registry.oci;

import io.regfleet.registry.metadata.MetadataUnavailableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryExceptionTest {

    @Test
    void aClientErrorCarriesNoStackTrace() {
        RegistryException unknown = RegistryException.blobUnknown(Digest.parse("sha256:" + "a".repeat(64)));
        assertEquals(404, unknown.status());
        assertEquals(0, unknown.getStackTrace().length, "an answer, not a failure: nothing to trace");
    }

    @Test
    void aServerErrorKeepsItsStackTraceAndCause() {
        IOException cause = new IOException("connection refused");
        MetadataUnavailableException unavailable = new MetadataUnavailableException("no connection in time", cause);
        assertEquals(503, unavailable.status());
        assertSame(cause, unavailable.getCause());
        assertTrue(unavailable.getStackTrace().length > 0);
    }
}
