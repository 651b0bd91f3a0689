package io.regfleet.registry.metadata.cache;

import java.time.Duration;

/**
 * What a {@link MetadataCache} keeps and for how long.
 *
 * @param entries       most tags, manifests and blob links remembered (each kind)
 * @param manifestBytes most bytes of manifest content remembered
 * @param ttl           longest an answer lives while every write is heard
 * @param fallbackTtl   how long an answer lives while writes of other replicas may go unheard
 */
public record CacheSettings(long entries, long manifestBytes, Duration ttl, Duration fallbackTtl) {
    public static final CacheSettings DEFAULT = new CacheSettings(100_000, 64L << 20, Duration.ofMinutes(5),
            Duration.ofSeconds(1));

    public CacheSettings {
        if (entries < 1 || manifestBytes < 0 || ttl.isNegative() || fallbackTtl.isNegative() || fallbackTtl.compareTo(ttl) > 0) {
            throw new IllegalArgumentException("invalid cache settings: " + entries + " entries, " + manifestBytes
                    + " manifest bytes, ttl " + ttl + ", fallback ttl " + fallbackTtl + " (at most the ttl)");
        }
    }
}
