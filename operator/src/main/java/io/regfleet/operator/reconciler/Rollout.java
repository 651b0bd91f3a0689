package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.dependent.MigrationAttempts;
import io.regfleet.operator.dependent.SchemaMigration;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the cluster shows of a Registry's rollout once the workflow ran: its schema migration and its Deployment.
 *
 * @param wanted    the Deployment's replicas (the plan's when the Deployment does not exist yet or an autoscaler owns it)
 * @param rolledOut the migration succeeded and every wanted pod runs the plan's image
 */
record Rollout(MigrationProgress migration, int wanted, int replicas, int ready, int updated, boolean rolledOut) {

    static Rollout observe(Registry registry, Context<Registry> context, RegistryPlan plan, MigrationAttempts attempts) {
        MigrationProgress migration = MigrationProgress.observe(registry, context, plan, attempts);
        // by name: the pooler's Deployment is the Registry's too
        Optional<Deployment> deployment = context.getSecondaryResourcesAsStream(Deployment.class)
                .filter(d -> FleetNames.deployment(registry).equals(d.getMetadata().getName())).findFirst();
        int wanted = deployment.map(d -> d.getSpec().getReplicas()).filter(Objects::nonNull)
                .orElse(plan.fleet().budget().maxReplicas());
        int replicas = count(deployment, DeploymentStatus::getReplicas);
        int ready = count(deployment, DeploymentStatus::getReadyReplicas);
        int updated = count(deployment, DeploymentStatus::getUpdatedReplicas);
        boolean rolledOut = deployment.isPresent() && migration.state() == SchemaMigration.State.SUCCEEDED
                && plan.image().equals(deployment.get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                && updated >= wanted && replicas == wanted;
        return new Rollout(migration, wanted, replicas, ready, updated, rolledOut);
    }

    private static int count(Optional<Deployment> deployment, Function<DeploymentStatus, Integer> field) {
        return deployment.map(Deployment::getStatus).map(field).orElse(0);
    }
}
