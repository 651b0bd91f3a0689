package io.regfleet.operator.plan;

import java.time.Duration;

/**
 * The schema migration Job this reconciliation wants: one per (image, database Secret) and attempt. A failed attempt is
 * followed, after a backoff, by the next one under a new name (a Job's pod template is immutable and a failed Job never
 * runs again), so nobody has to delete a failed Job by hand.
 *
 * @param name         the Job's name
 * @param attempt      1 for the first Job of this image and database, then 2, 3, ...
 * @param backoffLimit pod retries within one Job before it counts as failed
 * @param deadline     the Job's activeDeadlineSeconds: a pod that never starts (an image that cannot be pulled) or a
 *                     migration that hangs fails the Job, which is then retried
 */
public record MigrationJob(String name, int attempt, int backoffLimit, Duration deadline) {
}
