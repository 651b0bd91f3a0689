package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.MigrationJob;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The schema migration of a Registry's image: a Job per (image, database) and attempt, created before any pod of that
 * image serves, never updated (its pod template is immutable and a finished migration must not run again). A Job that
 * fails is followed by the next attempt ({@link MigrationAttempts}); once the current image's migration succeeded every
 * other migration Job goes.
 */
public final class SchemaMigration {
    static final String COMPONENT = "schema-migration";
    public static final String ATTEMPT_ANNOTATION = "regfleet.io/migration-attempt";

    /** Where a Registry's migration stands, from its Job. */
    public enum State { RUNNING, SUCCEEDED, FAILED }

    /** Why a Job failed, from its Failed condition: e.g. BackoffLimitExceeded or DeadlineExceeded. */
    public record Failure(String reason, String message) {
        @Override
        public String toString() {
            return message == null || message.isBlank() ? reason : reason + " (" + message + ")";
        }
    }

    private SchemaMigration() {
    }

    public static Job job(Registry registry, RegistryPlan plan) {
        MigrationJob migration = plan.migration();
        return new JobBuilder()
                .withMetadata(FleetNames.metadata(registry, migration.name(), COMPONENT))
                .editMetadata()
                .addToAnnotations(FleetNames.IMAGE_ANNOTATION, plan.image())
                .addToAnnotations(ATTEMPT_ANNOTATION, Integer.toString(migration.attempt()))
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(migration.backoffLimit())
                .withActiveDeadlineSeconds(migration.deadline().toSeconds())
                .withNewTemplate()
                .withNewMetadata().withLabels(FleetNames.jobPodLabels(registry, COMPONENT)).endMetadata()
                .withSpec(RegistryPods.basePodSpec(registry)
                        .withRestartPolicy("Never")
                        .addToContainers(RegistryPods.migrationContainer(registry, plan).build())
                        .build())
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The Registry's migration Jobs among its secondary resources. */
    static Stream<Job> jobs(Context<Registry> context) {
        return jobs(context, COMPONENT);
    }

    /** The Registry's Jobs of one component among its secondary resources. */
    static Stream<Job> jobs(Context<Registry> context, String component) {
        return context.getSecondaryResourcesAsStream(Job.class)
                .filter(job -> job.getMetadata().getLabels() != null
                        && component.equals(job.getMetadata().getLabels().get("app.kubernetes.io/component")));
    }

    /** The Job of this name among the Registry's secondary resources. */
    public static Optional<Job> find(Context<Registry> context, String name) {
        return jobs(context).filter(j -> name.equals(j.getMetadata().getName())).findFirst();
    }

    public static State state(Job job) {
        if (job.getStatus() == null) {
            return State.RUNNING;
        }
        if (failedCondition(job).isPresent()) {
            return State.FAILED;
        }
        if (hasTrueCondition(job, "Complete")
                || (job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0)) {
            return State.SUCCEEDED;
        }
        return State.RUNNING;
    }

    /** Why the Job failed, if it did. */
    public static Optional<Failure> failure(Job job) {
        return failedCondition(job).map(c -> new Failure(c.getReason() == null ? "Failed" : c.getReason(), c.getMessage()));
    }

    static Optional<JobCondition> failedCondition(Job job) {
        return conditions(job).filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    /**
     * Jobs done with: once the current attempt succeeded, every other migration Job (earlier images, failed attempts);
     * before, failed attempts older than the one just before the current (which stays for its logs).
     */
    public static void deleteSuperseded(Registry registry, Context<Registry> context, RegistryPlan plan, State current) {
        MigrationJob migration = plan.migration();
        String base = FleetNames.migrationJobBase(registry, plan.image());
        jobs(context)
                .filter(job -> !migration.name().equals(job.getMetadata().getName()))
                .filter(job -> current == State.SUCCEEDED || MigrationAttempts.attemptOf(base, job.getMetadata().getName())
                        .stream().anyMatch(attempt -> attempt < migration.attempt() - 1))
                .forEach(job -> context.getClient().resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }

    private static boolean hasTrueCondition(Job job, String type) {
        return conditions(job).anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Stream<JobCondition> conditions(Job job) {
        return Optional.ofNullable(job.getStatus()).map(s -> s.getConditions()).stream().flatMap(List::stream);
    }
}
