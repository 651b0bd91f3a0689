package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.Optional;

/**
 * Applies the schema migrations of the spec's image once, before any pod of that image serves: the Deployment
 * depends on this Job being complete. Each (image, database) gets its own Job name, and a Job is only ever created,
 * never updated (its pod template is immutable, and a finished migration must not run again).
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class MigrationJobDependent extends KubernetesDependentResource<Job, Registry>
        implements Creator<Job, Registry>, GarbageCollected<Registry> {
    public static final String NAME = "schema-migration";

    public MigrationJobDependent() {
        super(Job.class);
    }

    @Override
    protected Job desired(Registry registry, Context<Registry> context) {
        return build(registry, RegistryPlan.of(context));
    }

    public static Job build(Registry registry, RegistryPlan plan) {
        return new JobBuilder()
                .withNewMetadata()
                .withName(FleetNames.migrationJob(registry))
                .withNamespace(registry.getMetadata().getNamespace())
                .withLabels(FleetNames.labels(registry, "schema-migration"))
                .addToAnnotations(FleetNames.IMAGE_ANNOTATION, registry.getSpec().image)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(plan.migrationBackoffLimit())
                .withNewTemplate()
                .withNewMetadata().withLabels(FleetNames.labels(registry, "schema-migration")).endMetadata()
                .withSpec(RegistryPods.basePodSpec(registry)
                        .withRestartPolicy("Never")
                        .addToContainers(RegistryPods.migrationContainer(registry).build())
                        .build())
                .endTemplate()
                .endSpec()
                .build();
    }

    public enum State { RUNNING, SUCCEEDED, FAILED }

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

    private static boolean hasTrueCondition(Job job, String type) {
        return Optional.ofNullable(job.getStatus().getConditions()).stream().flatMap(java.util.List::stream)
                .anyMatch((JobCondition c) -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
