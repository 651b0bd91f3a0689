package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.cache.CacheConfig;
import io.regfleet.registry.metadata.cache.MetadataCache;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The {@link MetadataStore} the registry uses: PostgreSQL, behind the pod's metadata cache unless it is off. */
@Singleton
class MetadataStores {

    @Produces
    @Singleton
    MetadataStore metadataStore(PostgresMetadataStore store, Database db, MetadataCache cache, CacheConfig config) {
        if (!config.enabled()) {
            return store;
        }
        db.subscribe(cache);
        return cache.over(store);
    }
}
