package io.regfleet.registry.metadata;

import java.time.Duration;

/**
 * What the collector does with a manifest that no tag, index, subject or tagged referrer holds any more: keep it
 * ({@link #OFF}), or delete it once it has been so for {@code after} (counted from the last event that queued it).
 */
public record UntaggedManifests(boolean collect, Duration after) {
    public static final UntaggedManifests OFF = new UntaggedManifests(false, Duration.ZERO);

    public UntaggedManifests {
        if (after.isNegative()) {
            throw new IllegalArgumentException("the untagged-manifest delay cannot be negative: " + after);
        }
    }

    public static UntaggedManifests after(Duration after) {
        return new UntaggedManifests(true, after);
    }
}
