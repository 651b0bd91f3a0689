package io.regfleet.registry.metadata.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The pod's {@link MetadataCache}, with its metrics. */
@Singleton
class CacheBeans {

    /**
     * Not hearing the other replicas until the store's listener says it does: until then every changing answer lives
     * the fallback ttl.
     */
    @Produces
    @Singleton
    MetadataCache metadataCache(CacheConfig config, MeterRegistry meters) {
        MetadataCache cache = new MetadataCache(config.settings(), Ticker.systemTicker(), false);
        cache.caches().forEach((name, caffeine) ->
                CaffeineCacheMetrics.monitor(meters, caffeine, "regfleet.metadata.cache", Tags.of("kind", name)));
        Gauge.builder("regfleet.metadata.cache.hearing", cache, c -> c.hearing() ? 1 : 0)
                .description("1 while every other replica's metadata change is heard, 0 while answers live the fallback ttl")
                .register(meters);
        return cache;
    }
}
