package io.regfleet.registry.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Retention and immutable tags (prefix {@code regfleet.retention}); README "Retention policies". */
@ConfigMapping(prefix = "regfleet.retention")
public interface RetentionConfig {
    /** A JSON file of retention and immutable-tag rules; absent: no rules. Env: REGFLEET_RETENTION_RULES. */
    Optional<String> rules();

    /** How often the collector applies the retention rules. Env: REGFLEET_RETENTION_INTERVAL. */
    @WithDefault("1H")
    Duration interval();
}
