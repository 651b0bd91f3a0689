package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.operator.api.v1alpha1.BudgetStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;
import io.regfleet.operator.dependent.FleetNames;
import io.regfleet.operator.dependent.MigrationJobDependent;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.Objects;
import java.util.Optional;

/**
 * Status after the workflow ran: what the cluster shows for the Deployment and the migration Job. Per-pod allocations
 * are the rebalancer's (status.allocations), never set here.
 */
final class FleetStatus {
    private final Registry registry;
    private final Context<Registry> context;
    private final RegistryPlan plan;

    FleetStatus(Registry registry, Context<Registry> context, RegistryPlan plan) {
        this.registry = registry;
        this.context = context;
        this.plan = plan;
    }

    void fill(RegistryStatus status, StatusConditions conditions) {
        ConnectionBudget budget = plan.fleet().budget();
        BudgetStatus b = new BudgetStatus();
        b.serverMaxConnections = budget.serverMaxConnections();
        b.reserved = budget.reserved();
        b.heldByOthers = budget.heldByOthers();
        b.roleConnectionLimit = budget.roleConnectionLimit() >= 0 ? budget.roleConnectionLimit() : null;
        b.available = budget.available();
        b.podsCounted = budget.podsCounted();
        b.maxSurge = budget.maxSurge();
        b.maxReplicas = budget.maxReplicas();
        b.perPodFloor = budget.perPodFloor();
        b.workersPerPod = plan.fleet().startingWorkers();
        b.allocatedTotal = budget.allocatedTotal();
        status.setBudget(b);
        status.setBudgetSummary(budget.allocatedTotal() + "/" + budget.available());

        Optional<Job> job = context.getSecondaryResourcesAsStream(Job.class)
                .filter(j -> FleetNames.migrationJob(registry).equals(j.getMetadata().getName()))
                .findFirst();
        MigrationJobDependent.State migration = job.map(MigrationJobDependent::state).orElse(MigrationJobDependent.State.RUNNING);
        String jobName = FleetNames.migrationJob(registry);
        switch (migration) {
            case SUCCEEDED -> conditions.set(RegistryConditions.SCHEMA_READY, RegistryConditions.TRUE, Reasons.MIGRATION_SUCCEEDED,
                    "schema migrated for " + registry.getSpec().image);
            case FAILED -> conditions.set(RegistryConditions.SCHEMA_READY, RegistryConditions.FALSE, Reasons.MIGRATION_FAILED,
                    "Job " + jobName + " failed; the rollout of " + registry.getSpec().image
                            + " is blocked (kubectl logs job/" + jobName + ")");
            case RUNNING -> conditions.set(RegistryConditions.SCHEMA_READY, RegistryConditions.FALSE, Reasons.MIGRATION_RUNNING,
                    "Job " + jobName + " is migrating the schema for " + registry.getSpec().image);
        }

        Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
        int wanted = deployment.map(d -> d.getSpec().getReplicas()).filter(Objects::nonNull).orElse(plan.fleet().budget().maxReplicas());
        int replicas = deployment.map(d -> d.getStatus() == null ? null : d.getStatus().getReplicas()).filter(Objects::nonNull).orElse(0);
        int ready = deployment.map(d -> d.getStatus() == null ? null : d.getStatus().getReadyReplicas()).filter(Objects::nonNull).orElse(0);
        int updated = deployment.map(d -> d.getStatus() == null ? null : d.getStatus().getUpdatedReplicas()).filter(Objects::nonNull).orElse(0);
        boolean rolledOut = deployment.isPresent() && migration == MigrationJobDependent.State.SUCCEEDED
                && registry.getSpec().image.equals(deployment.get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                && updated >= wanted && replicas == wanted;
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);
        if (migration == MigrationJobDependent.State.FAILED) {
            conditions.set(RegistryConditions.PROGRESSING, RegistryConditions.FALSE, Reasons.MIGRATION_FAILED,
                    "rollout blocked by the failed schema migration");
        } else if (rolledOut) {
            conditions.set(RegistryConditions.PROGRESSING, RegistryConditions.FALSE, Reasons.ROLLED_OUT, replicas + " pods up to date");
        } else {
            conditions.set(RegistryConditions.PROGRESSING, RegistryConditions.TRUE, Reasons.ROLLING_OUT,
                    migration == MigrationJobDependent.State.RUNNING ? "waiting for the schema migration"
                            : updated + " of " + wanted + " pods updated");
        }
        boolean allReady = rolledOut && wanted > 0 && ready >= wanted
                && conditions.isTrue(RegistryConditions.CONNECTION_BUDGET_READY);
        conditions.set(RegistryConditions.READY, allReady ? RegistryConditions.TRUE : RegistryConditions.FALSE,
                allReady ? Reasons.ALL_REPLICAS_READY : Reasons.REPLICAS_NOT_READY,
                ready + "/" + wanted + " pods ready"
                        + (conditions.isTrue(RegistryConditions.CONNECTION_BUDGET_READY) ? "" : "; replicas capped by the connection budget"));
    }
}
