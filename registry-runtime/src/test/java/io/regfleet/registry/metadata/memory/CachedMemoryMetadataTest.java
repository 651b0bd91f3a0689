package io.regfleet.registry.metadata.memory;

import com.github.benmanes.caffeine.cache.Ticker;
import io.regfleet.registry.metadata.MetadataStoreContract;
import io.regfleet.registry.metadata.cache.CacheSettings;
import io.regfleet.registry.metadata.cache.MetadataCache;

import java.time.Duration;
import java.time.Instant;

/** The contract through the metadata cache, in front of the store in memory (which it hears, being its only writer). */
class CachedMemoryMetadataTest extends MetadataStoreContract {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    protected Stores emptyStores() {
        MemoryMetadata metadata = new MemoryMetadata(() -> now);
        MetadataCache cache = new MetadataCache(CacheSettings.DEFAULT, Ticker.systemTicker(), true);
        metadata.subscribe(cache);
        return new Stores(cache.over(metadata.store()), metadata.uploadSessions(), metadata.inventory(),
                metadata.verifyLedger(), metadata.garbageCollection());
    }

    @Override
    protected void timePasses(Duration elapsed) {
        now = now.plus(elapsed);
    }
}
