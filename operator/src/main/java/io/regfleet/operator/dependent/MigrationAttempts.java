package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

import java.time.Duration;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The attempts at migrating one (image, database Secret): its Jobs by attempt number, read from their names. Which
 * attempt is due is decided here, from the cluster alone (no state in operator memory): the latest, or, once it failed
 * and its pause has passed, the next.
 */
public record MigrationAttempts(NavigableMap<Integer, Job> jobs, Backoff backoff) {

    /** The pause after a failed attempt: {@code initial}, doubled per failed attempt, at most {@code max}. */
    public record Backoff(Duration initial, Duration max) {
        Duration after(int failedAttempt) {
            Duration pause = initial;
            for (int i = 1; i < failedAttempt && pause.compareTo(max) < 0; i++) {
                pause = pause.multipliedBy(2);
            }
            return pause.compareTo(max) > 0 ? max : pause;
        }
    }

    public static MigrationAttempts of(Registry registry, String image, Context<Registry> context, Backoff backoff) {
        String base = FleetNames.migrationJobBase(registry, image);
        NavigableMap<Integer, Job> jobs = new TreeMap<>();
        SchemaMigration.jobs(context).forEach(job -> attemptOf(base, job.getMetadata().getName()).ifPresent(a -> jobs.put(a, job)));
        return new MigrationAttempts(jobs, backoff);
    }

    /** The attempt a Job of this base name is: 1 for the base itself, n for {@code base-n}. */
    static OptionalInt attemptOf(String base, String name) {
        if (name.equals(base)) {
            return OptionalInt.of(1);
        }
        if (name.startsWith(base + "-")) {
            String suffix = name.substring(base.length() + 1);
            if (!suffix.isEmpty() && suffix.length() < 6 && suffix.chars().allMatch(Character::isDigit)) {
                return OptionalInt.of(Integer.parseInt(suffix));
            }
        }
        return OptionalInt.empty();
    }

    /** The attempt to run (or watch) now. */
    public int due(Instant now) {
        if (jobs.isEmpty()) {
            return 1;
        }
        int latest = jobs.lastKey();
        return nextAttemptAt().filter(next -> !now.isBefore(next)).map(next -> latest + 1).orElse(latest);
    }

    /** When the attempt after the latest may start: only once the latest failed. */
    public Optional<Instant> nextAttemptAt() {
        if (jobs.isEmpty() || SchemaMigration.state(jobs.lastEntry().getValue()) != SchemaMigration.State.FAILED) {
            return Optional.empty();
        }
        return Optional.of(failedAt(jobs.lastEntry().getValue()).plus(backoff.after(jobs.lastKey())));
    }

    /** The failure of the attempt before this one, if it failed (reported while the next one runs). */
    public Optional<SchemaMigration.Failure> failureBefore(int attempt) {
        return Optional.ofNullable(jobs.get(attempt - 1)).flatMap(SchemaMigration::failure);
    }

    private static Instant failedAt(Job job) {
        return SchemaMigration.failedCondition(job).map(c -> c.getLastTransitionTime())
                .or(() -> Optional.ofNullable(job.getStatus().getStartTime()))
                .or(() -> Optional.ofNullable(job.getMetadata().getCreationTimestamp()))
                .map(Instant::parse).orElse(Instant.EPOCH);
    }
}
