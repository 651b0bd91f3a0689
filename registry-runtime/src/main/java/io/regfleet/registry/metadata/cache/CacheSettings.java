package io.regfleet.registry.metadata.cache;

import java.time.Duration;

/**
 * What a {@link MetadataCache} keeps and for how long.
 *
 * @param entries       most tags, manifests and blob links remembered (each kind)
 * @param manifestBytes most bytes of manifest content remembered
 * @param ttl           longest an answer lives while every write is heard
 * @param staleBound    how long an answer lives while writes of other replicas may go unheard: the longest a changed
 *                      answer is served stale ({@link CacheConfig#staleBound()})
 */
public record CacheSettings(long entries, long manifestBytes, Duration ttl, Duration staleBound) {
    public static final CacheSettings DEFAULT = new CacheSettings(100_000, 64L << 20, Duration.ofMinutes(5),
            Duration.ofSeconds(2));

    public CacheSettings {
        if (entries < 1 || manifestBytes < 0 || ttl.isNegative() || !staleBound.isPositive() || staleBound.compareTo(ttl) > 0) {
            throw new IllegalArgumentException("invalid cache settings: " + entries + " entries, " + manifestBytes
                    + " manifest bytes, ttl " + ttl + ", stale bound " + staleBound + " (above zero, at most the ttl)");
        }
    }

    /** Half the stale bound: how often the listener checks its connection, and how long the check may take. */
    public Duration heartbeat() {
        return staleBound.dividedBy(2);
    }
}
