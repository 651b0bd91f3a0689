package io.regfleet.registry.retention;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** The registry's rules, read at start: a file that is missing or invalid stops the start with the reason. */
@Singleton
class RetentionBeans {
    @Produces
    @Singleton
    RetentionRules rules(RetentionConfig config) {
        return config.rules().map(Path::of).map(RetentionRules::read).orElse(RetentionRules.NONE);
    }
}
