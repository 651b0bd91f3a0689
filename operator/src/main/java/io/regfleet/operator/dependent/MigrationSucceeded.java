package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.regfleet.operator.api.v1alpha1.Registry;

/** Ready postcondition of the migration Job: pods of a new image start only after their schema is in place. */
public class MigrationSucceeded implements Condition<Job, Registry> {
    @Override
    public boolean isMet(DependentResource<Job, Registry> dependent, Registry registry, Context<Registry> context) {
        return dependent.getSecondaryResource(registry, context)
                .map(job -> SchemaMigration.state(job) == SchemaMigration.State.SUCCEEDED)
                .orElse(false);
    }
}
