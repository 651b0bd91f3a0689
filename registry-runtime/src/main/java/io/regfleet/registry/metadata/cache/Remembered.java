package io.regfleet.registry.metadata.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import java.util.Collection;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Answers of one kind that change (what a tag resolves to, whether a repository holds a blob), remembered with
 * Caffeine: one read of the store per key at a time (every other caller of that key waits for it), and each answer
 * kept for the ttl while every write is heard, the fallback ttl while some may not be, not at all when a change
 * overlapped its read ({@link Freshness}).
 *
 * @param <K> the question
 * @param <V> the store's answer
 */
final class Remembered<K, V> {
    /**
     * How long a failed read is remembered: long enough that the callers who waited for it fail with it at once,
     * instead of each reading again one after the other (a database outage would queue them), short enough that the
     * next request reads again.
     */
    static final long FAILURE_NANOS = 200_000_000L;

    /** The store's answer, or its failure ({@code failure} not null). */
    private record Entry<V>(V value, Freshness.Stamp stamp, RuntimeException failure) {
    }

    private final Cache<K, Entry<V>> cache;
    private final Freshness freshness;
    private final ToIntFunction<K> stripeOf;

    /** @param stripeOf the stripe of a key's answers in {@link Freshness}: a change counts it up */
    Remembered(CacheSettings settings, Ticker ticker, Freshness freshness, ToIntFunction<K> stripeOf) {
        this.freshness = freshness;
        this.stripeOf = stripeOf;
        long ttl = settings.ttl().toNanos();
        long fallback = settings.staleBound().toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.entries())
                .ticker(ticker)
                .recordStats()
                .expireAfter(new Expiry<K, Entry<V>>() {
                    @Override
                    public long expireAfterCreate(K key, Entry<V> entry, long now) {
                        if (entry.failure() != null) {
                            return FAILURE_NANOS;
                        }
                        if (!freshness.fresh(entry.stamp(), stripeOf.applyAsInt(key))) {
                            return 0;
                        }
                        return entry.stamp().hearing() ? ttl : fallback;
                    }

                    @Override
                    public long expireAfterUpdate(K key, Entry<V> entry, long now, long current) {
                        return expireAfterCreate(key, entry, now);
                    }

                    @Override
                    public long expireAfterRead(K key, Entry<V> entry, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    /** The remembered answer, or the store's ({@code read}), read once however many ask at the same time. */
    V get(K key, Function<K, V> read) {
        Entry<V> entry = cache.get(key, k -> {
            Freshness.Stamp stamp = freshness.stamp(stripeOf.applyAsInt(k));
            try {
                return new Entry<>(read.apply(k), stamp, null);
            } catch (RuntimeException e) {
                return new Entry<>(null, stamp, e);
            }
        });
        if (entry.failure() != null) {
            throw entry.failure();
        }
        return entry.value();
    }

    /** The remembered answer, or null: never asks the store. */
    V ifPresent(K key) {
        Entry<V> entry = cache.getIfPresent(key);
        return entry == null || entry.failure() != null ? null : entry.value();
    }

    /** A change made the key's answer stale. */
    void forget(K key) {
        freshness.changed(stripeOf.applyAsInt(key));
        cache.invalidate(key);
    }

    /** A change made the answers of every key {@code stale} matches stale; {@code stripes} are their stripes. */
    void forgetAll(Collection<Integer> stripes, Predicate<K> stale) {
        stripes.forEach(freshness::changed);
        cache.asMap().keySet().removeIf(stale);
    }

    /** Everything may be stale (the store's notices were lost or are heard again). */
    void forgetAll() {
        cache.invalidateAll();
    }

    Cache<K, ?> caffeine() {
        return cache;
    }

    CacheStats stats() {
        return cache.stats();
    }
}
