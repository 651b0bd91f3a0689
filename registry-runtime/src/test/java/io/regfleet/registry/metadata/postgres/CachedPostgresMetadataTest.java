package io.regfleet.registry.metadata.postgres;

import com.github.benmanes.caffeine.cache.Ticker;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.cache.CacheSettings;
import io.regfleet.registry.metadata.cache.MetadataCache;

/**
 * The contract through the metadata cache, in front of the store on PostgreSQL: every write's change reaches the
 * cache as it commits (no other replica writes here, so it hears everything).
 */
class CachedPostgresMetadataTest extends PostgresMetadataTest {

    @Override
    MetadataStore store(Database db) {
        MetadataCache cache = new MetadataCache(CacheSettings.DEFAULT, Ticker.systemTicker(), true);
        db.subscribe(cache);
        return cache.over(new PostgresMetadataStore(db));
    }
}
