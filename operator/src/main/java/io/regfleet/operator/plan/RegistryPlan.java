package io.regfleet.operator.plan;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.share.ShareVerdict;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.replica.ReadReplicaPlan;

import java.time.Duration;

/**
 * Everything the dependents need besides the Registry itself, computed once per reconciliation before the workflow
 * runs, so that every desired() is a pure function of (Registry, RegistryPlan).
 *
 * @param fleet          the fleet's plan: budget, rebalancer limits, starting pool and workers, autoscaler minimum
 * @param image          the registry runtime image: spec.image, else the operator's own version's
 * @param secretsVersion digest of the referenced Secrets' versions: a change rolls the pods
 * @param migration      the schema migration Job of this image and attempt
 * @param operatorNamespace where the operator's pods run: the registry pods' NetworkPolicy admits them
 * @param pooler         PgBouncer in front of the database as the budget sizes it; null: the pods connect directly
 * @param share          whether the Registry fits the server it shares with other Registries, naming them; null when
 *                       it is not planned on a shared server (tests of single objects)
 * @param readReplicas   each read replica's budget and what the serving pods get of them
 */
public record RegistryPlan(FleetPlan fleet, String image, String secretsVersion, MigrationJob migration,
                           String operatorNamespace, PoolerPlan pooler, ShareVerdict share, ReadReplicaPlan readReplicas) {
    public static final String CONTEXT_KEY = RegistryPlan.class.getName();
    /** Time a registry pod gets to drain on deletion; the rebalancer counts a vanished pod a little longer. */
    public static final long TERMINATION_GRACE_SECONDS = 30;
    /** Beyond the pods' termination grace period, so a pod killed at its end is never uncounted early. */
    private static final Duration GONE_MARGIN = Duration.ofSeconds(15);

    public RegistryPlan {
        readReplicas = readReplicas == null ? ReadReplicaPlan.NONE : readReplicas;
    }

    /** A plan without read replicas (they are planned once the fleet's budget says how many pods can exist). */
    public RegistryPlan(FleetPlan fleet, String image, String secretsVersion, MigrationJob migration, String operatorNamespace,
                        PoolerPlan pooler, ShareVerdict share) {
        this(fleet, image, secretsVersion, migration, operatorNamespace, pooler, share, ReadReplicaPlan.NONE);
    }

    /** A plan with the pods connecting directly, not planned on a shared server. */
    public RegistryPlan(FleetPlan fleet, String image, String secretsVersion, MigrationJob migration, String operatorNamespace) {
        this(fleet, image, secretsVersion, migration, operatorNamespace, null, null);
    }

    /** The same plan with its read replicas planned. */
    public RegistryPlan withReadReplicas(ReadReplicaPlan replicas) {
        return new RegistryPlan(fleet, image, secretsVersion, migration, operatorNamespace, pooler, share, replicas);
    }

    /**
     * How long pods that vanished (or the pods of a deleted Registry) may still hold connections: the configured
     * gone-grace, else the pods' termination grace period and a margin.
     */
    public static Duration podsDrain(OperatorConfig.Rebalance settings) {
        return settings.goneGrace().orElse(Duration.ofSeconds(TERMINATION_GRACE_SECONDS).plus(GONE_MARGIN));
    }

    /** The plan the reconciler put in the workflow's context. */
    public static RegistryPlan of(Context<Registry> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(CONTEXT_KEY, RegistryPlan.class);
    }

    /**
     * The largest pool maximum a pod's agent accepts (regfleet.pool.ceiling): the rebalancer's per-pod ceiling, or the
     * floor while no pod fits the budget.
     */
    public int poolCeiling() {
        return fleet.limits().map(FleetLimits::poolCeiling).orElse(fleet.startingPoolMax());
    }
}
