package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

/**
 * Applies the schema migrations of the plan's image once, before any pod of that image serves: the Deployment
 * depends on this Job being complete. Only ever created, never updated (see {@link SchemaMigration}); the plan names
 * the attempt, so a failed Job is followed by a new one rather than changed.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetNames.MANAGED_BY_SELECTOR))
public class MigrationJobDependent extends FleetDependent<Job> {
    public MigrationJobDependent() {
        super(Job.class, (registry, context) -> SchemaMigration.job(registry, RegistryPlan.of(context)));
    }
}
