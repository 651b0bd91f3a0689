package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.metadata.MetadataStoreContract;

import java.time.Duration;
import java.time.Instant;

/** The contract in memory, on a clock the test moves. */
class MemoryMetadataTest extends MetadataStoreContract {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    protected Stores emptyStores() {
        MemoryMetadata metadata = new MemoryMetadata(() -> now);
        return new Stores(metadata.store(), metadata.uploadSessions(), metadata.inventory(), metadata.verifyLedger(),
                metadata.garbageCollection());
    }

    @Override
    protected void timePasses(Duration elapsed) {
        now = now.plus(elapsed);
    }
}
