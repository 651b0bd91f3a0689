package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which migration attempt is due, from the Jobs alone. */
class MigrationAttemptsTest {
    private static final MigrationAttempts.Backoff BACKOFF = new MigrationAttempts.Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10));
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void attemptsAreReadFromTheJobsNames() {
        assertEquals(OptionalInt.of(1), MigrationAttempts.attemptOf("r-migrate-abc", "r-migrate-abc"));
        assertEquals(OptionalInt.of(3), MigrationAttempts.attemptOf("r-migrate-abc", "r-migrate-abc-3"));
        assertEquals(OptionalInt.empty(), MigrationAttempts.attemptOf("r-migrate-abc", "r-migrate-abcd"));
        assertEquals(OptionalInt.empty(), MigrationAttempts.attemptOf("r-migrate-abc", "r-migrate-abc-x"));
    }

    @Test
    void theBackoffDoublesUpToItsMaximum() {
        assertEquals(Duration.ofSeconds(30), BACKOFF.after(1));
        assertEquals(Duration.ofSeconds(60), BACKOFF.after(2));
        assertEquals(Duration.ofMinutes(8), BACKOFF.after(5));
        assertEquals(Duration.ofMinutes(10), BACKOFF.after(6));
        assertEquals(Duration.ofMinutes(10), BACKOFF.after(60));
    }

    @Test
    void theNextAttemptIsDueOnceTheLatestFailedAndItsPauseHasPassed() {
        assertEquals(1, attempts().due(T0), "nothing yet: the first");
        assertEquals(1, attempts(job(null)).due(T0), "running: the same");
        MigrationAttempts failed = attempts(job(T0), job(T0.plusSeconds(100)));
        assertEquals(Optional.of(T0.plusSeconds(160)), failed.nextAttemptAt(), "attempt 2 failed: 60 s");
        assertEquals(2, failed.due(T0.plusSeconds(159)));
        assertEquals(3, failed.due(T0.plusSeconds(160)));
        assertEquals("BackoffLimitExceeded (gave up)", failed.failureBefore(3).orElseThrow().toString());
    }

    /** Jobs for attempts 1, 2, ...: failed at the given time, or running (null). */
    private static MigrationAttempts attempts(Job... jobs) {
        var map = new TreeMap<Integer, Job>();
        for (int i = 0; i < jobs.length; i++) {
            map.put(i + 1, jobs[i]);
        }
        return new MigrationAttempts(map, BACKOFF);
    }

    private static Job job(Instant failedAt) {
        var job = new JobBuilder().withNewMetadata().withName("j").endMetadata().withNewStatus().withActive(1).endStatus();
        if (failedAt != null) {
            job.editStatus().withActive(0).addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                    .withMessage("gave up").withLastTransitionTime(failedAt.toString()).endCondition().endStatus();
        }
        return job.build();
    }
}
