package io.regfleet.operator.plan;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.plan.FleetPlanner;
import io.regfleet.control.plan.PlanRequest;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.OptionalInt;

/** A Registry's spec and the live database's limits as a plan request, planned by fleet-control's planner. */
@ApplicationScoped
public class RegistryPlanner {
    private final OperatorConfig config;

    public RegistryPlanner(OperatorConfig config) {
        this.config = config;
    }

    public RegistryPlan plan(RegistrySpec spec, DatabaseLimits limits, String secretsVersion) {
        boolean autoscaled = spec.autoscaling != null;
        int desired = autoscaled ? Math.max(spec.autoscaling.maxReplicas, spec.autoscaling.minReplicas) : spec.replicas;
        BudgetRequest budget = new BudgetRequest(limits, spec.database.maxConnections,
                spec.database.reservedConnections == null ? 0 : spec.database.reservedConnections, desired,
                config.maxSurge(), spec.connectionsPerPod.minimum, spec.connectionsPerPod.maximum,
                spec.rebalancingOrDefault().effectiveFloorPercent());
        PlanRequest request = new PlanRequest(budget, spec.workers.minimum, spec.workers.maximum,
                config.workersPerConnection(), autoscaled ? OptionalInt.of(spec.autoscaling.minReplicas) : OptionalInt.empty());
        return new RegistryPlan(FleetPlanner.plan(request), secretsVersion, config.migrationBackoffLimit());
    }
}
