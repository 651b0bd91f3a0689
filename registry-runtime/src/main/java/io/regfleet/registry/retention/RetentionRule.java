package io.regfleet.registry.retention;

import io.regfleet.registry.oci.NameGlob;
import io.regfleet.registry.metadata.TagRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * A retention rule: for the repositories it names, of the tags it names, keep the {@code keepNewest} most recently
 * pushed and/or delete those pushed longer than {@code deleteOlderThan} ago. With both, a tag goes only when both
 * say so (beyond the newest N and old): the newest N stay however old, and young tags stay however many.
 */
public record RetentionRule(NameGlob repositories, NameGlob tags, OptionalInt keepNewest,
                            Optional<Duration> deleteOlderThan) {
    public RetentionRule {
        if (keepNewest.isEmpty() && deleteOlderThan.isEmpty()) {
            throw new IllegalArgumentException("retention rule for '" + repositories
                    + "' needs keepNewest, deleteOlderThan or both");
        }
        if (keepNewest.isPresent() && keepNewest.getAsInt() < 0) {
            throw new IllegalArgumentException("keepNewest cannot be negative in the rule for '" + repositories + "'");
        }
    }

    /**
     * The tags to delete of a repository's tags (most recently pushed first), never one {@code immutable} names.
     */
    public List<TagRecord> expired(List<TagRecord> newestFirst, Instant now, Predicate<String> immutable) {
        List<TagRecord> expired = new ArrayList<>();
        int rank = 0;
        for (TagRecord tag : newestFirst) {
            if (!tags.matches(tag.name())) {
                continue;
            }
            boolean newest = keepNewest.isPresent() && rank++ < keepNewest.getAsInt();
            boolean young = deleteOlderThan.isPresent() && tag.pushedAt().isAfter(now.minus(deleteOlderThan.get()));
            if (!newest && !young && !immutable.test(tag.name())) {
                expired.add(tag);
            }
        }
        return expired;
    }
}
