package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.dependent.MigrationAttempts;
import io.regfleet.operator.dependent.SchemaMigration;
import io.regfleet.operator.dependent.SchemaMigration.Failure;
import io.regfleet.operator.dependent.SchemaMigration.State;
import io.regfleet.operator.plan.RegistryPlan;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the schema migration of the plan's image stands, as the cluster shows it: the current attempt's Job, why it
 * failed (its Failed condition's reason), why its pod waits (an image that cannot be pulled shows on the pod, not the
 * Job), why the attempt before failed, and when the next attempt starts.
 */
record MigrationProgress(State state, String job, int attempt, Optional<Failure> failure, Optional<String> podWaiting,
                         Optional<Failure> previousFailure, Optional<Instant> nextAttemptAt) {
    private static final int MAX_WAITING_TEXT = 160;

    static MigrationProgress observe(Registry registry, Context<Registry> context, RegistryPlan plan, MigrationAttempts attempts) {
        String name = plan.migration().name();
        var job = SchemaMigration.find(context, name);
        State state = job.map(SchemaMigration::state).orElse(State.RUNNING);
        Optional<String> waiting = state == State.RUNNING ? podWaiting(registry, context, name) : Optional.empty();
        return new MigrationProgress(state, name, plan.migration().attempt(), job.flatMap(SchemaMigration::failure), waiting,
                attempts.failureBefore(plan.migration().attempt()),
                state == State.FAILED ? attempts.nextAttemptAt() : Optional.empty());
    }

    /** The first waiting container's reason and message among the Job's pods (ErrImagePull, ImagePullBackOff, ...). */
    private static Optional<String> podWaiting(Registry registry, Context<Registry> context, String job) {
        List<Pod> pods = context.getClient().pods().inNamespace(registry.getMetadata().getNamespace())
                .withLabel("job-name", job).list().getItems();
        return pods.stream()
                .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
                .flatMap(p -> p.getStatus().getContainerStatuses().stream())
                .map(ContainerStatus::getState).filter(Objects::nonNull)
                .map(s -> s.getWaiting()).filter(w -> w != null && w.getReason() != null && !w.getReason().equals("ContainerCreating"))
                .map(w -> w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage()))
                .map(text -> text.length() > MAX_WAITING_TEXT ? text.substring(0, MAX_WAITING_TEXT) + "..." : text)
                .findFirst();
    }

    /** The SchemaReady message. */
    String message(String image) {
        return switch (state) {
            case SUCCEEDED -> "schema migrated for " + image;
            case FAILED -> "Job " + job + " failed: " + failure.map(Failure::toString).orElse("Failed")
                    + nextAttemptAt.map(at -> "; attempt " + (attempt + 1) + " starts at " + at).orElse("")
                    + "; the rollout of " + image + " is blocked (kubectl logs job/" + job + ")";
            case RUNNING -> "Job " + job + " is migrating the schema for " + image
                    + (attempt > 1 ? " (attempt " + attempt + ")" : "")
                    + podWaiting.map(w -> "; its pod waits: " + w).orElse("")
                    + previousFailure.map(f -> "; attempt " + (attempt - 1) + " failed: " + f).orElse("");
        };
    }
}
