package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.List;
import java.util.Optional;

/**
 * The schema migration of a Registry's image: one Job per (image, database), created before any pod of that image
 * serves, never updated (its pod template is immutable and a finished migration must not run again), deleted once a
 * newer image's migration succeeded.
 */
public final class SchemaMigration {
    static final String COMPONENT = "schema-migration";

    /** Where a Registry's migration stands, from its Job. */
    public enum State { RUNNING, SUCCEEDED, FAILED }

    private SchemaMigration() {
    }

    public static Job job(Registry registry, RegistryPlan plan) {
        return new JobBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.migrationJob(registry), COMPONENT))
                .editMetadata().addToAnnotations(FleetNames.IMAGE_ANNOTATION, registry.getSpec().image).endMetadata()
                .withNewSpec()
                .withBackoffLimit(plan.migrationBackoffLimit())
                .withNewTemplate()
                .withNewMetadata().withLabels(FleetNames.labels(registry, COMPONENT)).endMetadata()
                .withSpec(RegistryPods.basePodSpec(registry)
                        .withRestartPolicy("Never")
                        .addToContainers(RegistryPods.migrationContainer(registry).build())
                        .build())
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The state of the current image's Job among the Registry's secondary resources (running while it is absent). */
    public static State of(Registry registry, Context<Registry> context) {
        String current = FleetNames.migrationJob(registry);
        return context.getSecondaryResourcesAsStream(Job.class)
                .filter(j -> current.equals(j.getMetadata().getName()))
                .findFirst().map(SchemaMigration::state).orElse(State.RUNNING);
    }

    public static State state(Job job) {
        if (job.getStatus() == null) {
            return State.RUNNING;
        }
        if (hasTrueCondition(job, "Failed")) {
            return State.FAILED;
        }
        if (hasTrueCondition(job, "Complete")
                || (job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0)) {
            return State.SUCCEEDED;
        }
        return State.RUNNING;
    }

    /** Jobs of earlier images are done with once the current image's migration succeeded. */
    public static void deleteSuperseded(Registry registry, Context<Registry> context) {
        String current = FleetNames.migrationJob(registry);
        context.getSecondaryResourcesAsStream(Job.class)
                .filter(job -> !current.equals(job.getMetadata().getName()))
                .filter(job -> COMPONENT.equals(job.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .forEach(job -> context.getClient().resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }

    private static boolean hasTrueCondition(Job job, String type) {
        return Optional.ofNullable(job.getStatus().getConditions()).stream().flatMap(List::stream)
                .anyMatch((JobCondition c) -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
