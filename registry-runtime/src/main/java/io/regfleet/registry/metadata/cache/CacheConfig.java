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

    /**
     * The stated bound: a tag, manifest or blob answer changed by another replica is never served from this pod's
     * cache longer than this after the change committed (plus the notice's delivery, milliseconds, while it is heard).
     * While the notice listener is down, changing answers live this long; while it is up, it checks its connection
     * every half of it, within half of it, so a silently broken one is found (and every answer forgotten) within it.
     * Env: REGFLEET_CACHE_STALE_BOUND.
     */
    @WithDefault("2S")
    Duration staleBound();

    /** The settings as a value. */
    default CacheSettings settings() {
        return new CacheSettings(entries(), manifestBytes(), ttl(), staleBound());
    }
}
