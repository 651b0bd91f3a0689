package io.regfleet.control.plan;

import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.rebalance.FleetLimits;

import java.util.Optional;

/**
 * Everything a fleet starts from, computed from one {@link PlanRequest} by {@link FleetPlanner}: the operator's
 * Deployment and autoscaler, the local fleet's replicas and both rebalancers read it.
 *
 * @param budget          the connection budget
 * @param limits          what the rebalancer shares out; empty while no pod fits the budget (its rounds are skipped)
 * @param startingWorkers each pod's worker limit at start, before the rebalancer has seen it
 * @param hpaMinReplicas  the autoscaler's minimum, capped by the budget; 0 when no autoscaler owns the replica count
 */
public record FleetPlan(ConnectionBudget budget, Optional<FleetLimits> limits, int startingWorkers, int hpaMinReplicas) {

    /**
     * The floor: every pod starts with this pool maximum from its own configuration, and every slot keeps it. Not the
     * ceiling a pod may be raised to ({@link FleetLimits#poolCeiling()}) nor what a pod runs with now
     * ({@link io.regfleet.fleet.PodUsage#appliedPoolMax()}).
     */
    public int startingPoolMax() {
        return budget.perPodFloor();
    }

    /** An autoscaler owns the replica count. */
    public boolean autoscaled() {
        return hpaMinReplicas > 0;
    }
}
