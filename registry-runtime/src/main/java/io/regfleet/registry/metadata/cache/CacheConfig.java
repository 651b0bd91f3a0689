package io.regfleet.registry.metadata.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The metadata cache of every pod (prefix {@code regfleet.cache}); README "Metadata cache" tells the whole story. */
@ConfigMapping(prefix = "regfleet.cache")
public interface CacheConfig {
    /** Answer manifest and blob reads from memory, kept fresh by the other replicas' notices. Env: REGFLEET_CACHE_ENABLED. */
    @WithDefault("true")
    boolean enabled();

    /** Tags, manifests and blob links remembered, each kind at most this many. Env: REGFLEET_CACHE_ENTRIES. */
    @WithDefault("100000")
    long entries();

    /** Manifest contents remembered, in bytes (they never change for a digest). Env: REGFLEET_CACHE_MANIFEST_BYTES. */
    @WithDefault("67108864")
    long manifestBytes();

    /**
     * The longest an answer is remembered while every other replica's write is heard: a bound on what a write that no
     * notice announces (SQL typed by hand) leaves stale. Env: REGFLEET_CACHE_TTL.
     */
    @WithDefault("5M")
    Duration ttl();

    /** How long an answer is remembered while the other replicas' notices may be missed. Env: REGFLEET_CACHE_FALLBACK_TTL. */
    @WithDefault("1S")
    Duration fallbackTtl();

    /**
     * How often the notice listener checks its connection when no notice came, and how long the check may take: a
     * silently broken connection is noticed within twice this. Env: REGFLEET_CACHE_HEARTBEAT.
     */
    @WithDefault("1S")
    Duration heartbeat();

    /** The settings as a value. */
    default CacheSettings settings() {
        return new CacheSettings(entries(), manifestBytes(), ttl(), fallbackTtl());
    }
}
