package io.regfleet.registry.gc;

import io.quarkus.runtime.configuration.DurationConverter;
import io.regfleet.registry.metadata.UntaggedManifests;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Locale;

/** Online garbage collection (prefix {@code regfleet.gc}); README "Garbage collection" has the full story. */
@ConfigMapping(prefix = "regfleet.gc")
public interface GcConfig {
    /** Run the collector on this replica (every replica may). Env: REGFLEET_GC_ENABLED. */
    @WithDefault("true")
    boolean enabled();

    /**
     * How long a candidate waits after the write that queued it before it is reviewed: the window in which a push
     * that saw a blob may still reference it (GitLab's default, a day). Env: REGFLEET_GC_REVIEW_DELAY.
     */
    @WithDefault("24H")
    Duration reviewDelay();

    /**
     * Manifests that no tag, index, subject or tagged referrer holds: {@code off} (kept), or a duration after which
     * they are collected (counted from the event that left them so; at least the review delay).
     * Env: REGFLEET_GC_UNTAGGED_MANIFESTS.
     */
    @WithDefault("off")
    String untaggedManifests();

    /**
     * How long the collector rests when it found nothing to do. Longer than the pool's idle timeout, so that an idle
     * pod's pool still drains to no connection between two rounds. Env: REGFLEET_GC_INTERVAL.
     */
    @WithDefault("2M")
    Duration interval();

    /** Candidates reviewed per transaction. Env: REGFLEET_GC_BATCH_SIZE. */
    @WithDefault("32")
    int batchSize();

    /** How long the collector pauses when the pod's database work queues or is shed. Env: REGFLEET_GC_YIELD_PAUSE. */
    @WithDefault("1S")
    Duration yieldPause();

    /**
     * A blob deletion claimed this long ago and not done (its collector died between the row and the bytes) is
     * done again by any collector. Env: REGFLEET_GC_DELETION_TIMEOUT.
     */
    @WithDefault("60S")
    Duration deletionTimeout();

    /**
     * How often the blob store is swept for bytes that no row records (a crash between an upload's bytes and its
     * row). Bytes written less than the review delay ago are left alone. Env: REGFLEET_GC_SWEEP_INTERVAL.
     */
    @WithDefault("24H")
    Duration sweepInterval();

    /** {@link #untaggedManifests()} as a policy; an unreadable value stops the start with a message saying so. */
    static UntaggedManifests untaggedPolicy(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("off") || text.equals("false")) {
            return UntaggedManifests.OFF;
        }
        try {
            return UntaggedManifests.after(DurationConverter.parseDuration(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("regfleet.gc.untagged-manifests must be 'off' or a duration such as 24H,"
                    + " not '" + value + "'", e);
        }
    }
}
