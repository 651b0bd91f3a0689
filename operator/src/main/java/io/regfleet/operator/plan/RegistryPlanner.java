package io.regfleet.operator.plan;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.plan.FleetPlanner;
import io.regfleet.control.plan.PlanRequest;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.naming.FleetNames;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.OptionalInt;

/** A Registry's spec and the live database's limits as a plan request, planned by fleet-control's planner. */
@ApplicationScoped
public class RegistryPlanner {
    private final OperatorConfig config;
    private final String runtimeImage;
    private final String operatorNamespace;

    /**
     * @param runtimeImage the registry runtime image of the operator's own version (regfleet.image.runtime, from the
     *                     root pom; the OLM bundle's Deployment sets it as REGFLEET_IMAGE_RUNTIME, so a mirror can
     *                     rewrite it)
     */
    public RegistryPlanner(OperatorConfig config, @ConfigProperty(name = "regfleet.image.runtime") String runtimeImage,
                           KubernetesClient client) {
        this.config = config;
        this.runtimeImage = runtimeImage;
        this.operatorNamespace = config.namespace().orElseGet(client::getNamespace);
    }

    /** The image a Registry runs: its own, else the operator's version's (operator and operand versioned together). */
    public String image(RegistrySpec spec) {
        return spec.image == null || spec.image.isBlank() ? runtimeImage : spec.image;
    }

    /**
     * @param migrationAttempt the attempt of the schema migration of this image that is due now (see
     *                         io.regfleet.operator.dependent.MigrationAttempts)
     */
    public RegistryPlan plan(Registry registry, DatabaseLimits limits, String secretsVersion, int migrationAttempt) {
        RegistrySpec spec = registry.getSpec();
        boolean autoscaled = spec.autoscaling != null;
        int desired = autoscaled ? Math.max(spec.autoscaling.maxReplicas, spec.autoscaling.minReplicas) : spec.replicas;
        int verify = config.verify().connections();
        BudgetRequest budget = new BudgetRequest(VerifyReserve.withheld(limits, verify), spec.database.maxConnections,
                (spec.database.reservedConnections == null ? 0 : spec.database.reservedConnections) + verify, desired,
                config.maxSurge(), spec.connectionsPerPod.minimum, spec.connectionsPerPod.maximum,
                spec.rebalancingOrDefault().effectiveFloorPercent());
        PlanRequest request = new PlanRequest(budget, spec.workers.minimum, spec.workers.maximum,
                config.workersPerConnection(), autoscaled ? OptionalInt.of(spec.autoscaling.minReplicas) : OptionalInt.empty());
        String image = image(spec);
        MigrationJob migration = new MigrationJob(FleetNames.migrationJob(registry, image, migrationAttempt), migrationAttempt,
                config.migration().backoffLimit(), config.migration().deadline());
        return new RegistryPlan(FleetPlanner.plan(request), image, secretsVersion, migration, operatorNamespace);
    }
}
