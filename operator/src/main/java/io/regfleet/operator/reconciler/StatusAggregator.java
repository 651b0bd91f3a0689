package io.regfleet.operator.reconciler;

import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.share.ShareVerdict;
import io.regfleet.operator.api.v1alpha1.BudgetStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;
import io.regfleet.operator.dependent.SchemaMigration;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;
import io.regfleet.operator.rebalance.CollectorSummary;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static io.regfleet.operator.api.v1alpha1.RegistryConditions.ACCESS_CONTROL_READY;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.CONNECTION_BUDGET_READY;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.DATABASE_READY;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.FALSE;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.INTEGRITY_VERIFIED;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.PROGRESSING;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.READY;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.READ_REPLICAS_READY;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.RECONCILE_ERROR;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.SCHEMA_READY;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.STORAGE_READY;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.TLS_READY;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.TRUE;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.UNKNOWN;

/**
 * The one place that decides a Registry's status (all of it but the rebalancer's allocations): every condition, Ready
 * included, from what one reconciliation found. A condition whose status does not change keeps its
 * lastTransitionTime ({@link StatusConditions}); conditions not decided this time are carried over.
 */
final class StatusAggregator {
    /** What a reconciliation came to. */
    sealed interface Outcome {
        /** The spec cannot be applied as it is (its message says why): nothing was deployed or changed. */
        record Invalid(String message) implements Outcome {
        }

        /** Prerequisites unmet: nothing was deployed or changed. */
        record Blocked(Prerequisites prerequisites) implements Outcome {
        }

        /** The workflow ran with this plan and the cluster shows this rollout, and what else it observed. */
        record Reconciled(Prerequisites prerequisites, RegistryPlan plan, Rollout rollout, Observations observations)
                implements Outcome {
        }

        /** The reconciliation threw. */
        record Failed(Exception error) implements Outcome {
        }
    }

    private final Registry registry;
    private final RegistryStatus previous;
    private final StatusConditions conditions;

    StatusAggregator(Registry registry, Instant now) {
        this.registry = registry;
        this.previous = registry.getStatus() == null ? new RegistryStatus() : registry.getStatus();
        this.conditions = new StatusConditions(previous.conditions, registry.getMetadata().getGeneration(), now);
    }

    RegistryStatus decide(Outcome outcome) {
        RegistryStatus status = copyOfPrevious();
        switch (outcome) {
            case Outcome.Invalid invalid -> settled(status, outcome);
            case Outcome.Blocked blocked -> {
                prerequisites(blocked.prerequisites());
                conditions.set(CONNECTION_BUDGET_READY, UNKNOWN, Reasons.BUDGET_UNKNOWN,
                        "the budget is computed once the database and storage settings are usable");
                settled(status, outcome);
            }
            case Outcome.Reconciled reconciled -> {
                prerequisites(reconciled.prerequisites());
                budget(status, reconciled.plan());
                rollout(status, reconciled.plan(), reconciled.rollout());
                observations(status, reconciled.observations());
                readReplicas(status, reconciled.plan(), reconciled.observations());
                settled(status, outcome);
            }
            case Outcome.Failed failed -> {
                conditions.set(RECONCILE_ERROR, TRUE, Reasons.RECONCILE_FAILED, FailureMessage.of(failed.error()));
                ready(outcome);
            }
        }
        status.conditions = conditions.toList();
        return status;
    }

    /** A reconciliation that ran to its end: it observed this generation, and Ready is decided. */
    private void settled(RegistryStatus status, Outcome outcome) {
        status.endpoint = FleetNames.endpoint(registry);
        status.selector = selector();
        status.observedGeneration = registry.getMetadata().getGeneration();
        ready(outcome);
        conditions.set(RECONCILE_ERROR, FALSE, Reasons.RECONCILED, "");
    }

    /** Ready, decided here only: a failed reconciliation, unusable prerequisites, or the rollout within the budget. */
    private void ready(Outcome outcome) {
        switch (outcome) {
            case Outcome.Failed failed -> conditions.set(READY, FALSE, Reasons.RECONCILE_FAILED, "reconciliation failed, retrying");
            case Outcome.Invalid invalid -> conditions.set(READY, FALSE, Reasons.INVALID_SPEC, invalid.message());
            case Outcome.Blocked blocked -> conditions.set(READY, FALSE, Reasons.PREREQUISITES_NOT_MET,
                    unmet(blocked.prerequisites()));
            case Outcome.Reconciled reconciled -> {
                Rollout rollout = reconciled.rollout();
                // a read replica without room is not used: the pods still serve within the budget
                boolean budgetFits = conditions.isTrue(CONNECTION_BUDGET_READY)
                        || conditions.hasReason(CONNECTION_BUDGET_READY, Reasons.NO_ROOM_ON_REPLICA);
                boolean ready = rollout.rolledOut() && rollout.wanted() > 0 && rollout.ready() >= rollout.wanted() && budgetFits;
                conditions.set(READY, ready ? TRUE : FALSE, ready ? Reasons.ALL_REPLICAS_READY : Reasons.REPLICAS_NOT_READY,
                        rollout.ready() + "/" + rollout.wanted() + " pods ready"
                                + (budgetFits ? "" : "; replicas capped by the connection budget"));
            }
        }
    }

    /** The last status, copied (never the cached object itself): what this reconciliation does not decide stays. */
    private RegistryStatus copyOfPrevious() {
        RegistryStatus status = new RegistryStatus();
        status.observedGeneration = previous.observedGeneration;
        status.endpoint = previous.endpoint;
        status.image = previous.image;
        status.selector = previous.selector;
        status.budget = previous.budget;
        status.budgetSummary = previous.budgetSummary;
        status.replicas = previous.replicas;
        status.readyReplicas = previous.readyReplicas;
        status.allocations = previous.allocations;
        status.rebalance = previous.rebalance;
        status.garbageCollection = previous.garbageCollection;
        status.verification = previous.verification;
        status.share = previous.share;
        status.readReplicas = previous.readReplicas;
        return status;
    }

    private void prerequisites(Prerequisites prerequisites) {
        condition(STORAGE_READY, prerequisites.storage());
        condition(DATABASE_READY, prerequisites.database());
        condition(ACCESS_CONTROL_READY, prerequisites.accessControl());
        condition(TLS_READY, prerequisites.tls());
    }

    /** Ready's message when prerequisites block the rollout: the conditions that say why. */
    private static String unmet(Prerequisites prerequisites) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        verdicts.put(DATABASE_READY, prerequisites.database());
        verdicts.put(STORAGE_READY, prerequisites.storage());
        verdicts.put(ACCESS_CONTROL_READY, prerequisites.accessControl());
        verdicts.put(TLS_READY, prerequisites.tls());
        return "settings that are not usable block the rollout; see " + verdicts.entrySet().stream()
                .filter(e -> !e.getValue().met()).map(Map.Entry::getKey).collect(Collectors.joining(" and "));
    }

    /** The Certificate cert-manager issues, the newest verify Job, the pods' collectors. */
    private void observations(RegistryStatus status, Observations observations) {
        observations.certificate().ifPresent(verdict -> condition(TLS_READY, verdict));
        observations.garbageCollection()
                .ifPresent(read -> status.garbageCollection = CollectorSummary.next(previous.garbageCollection, read));
        switch (observations.verify()) {
            // the last verdict stands while the next verify runs
            case VerifyProgress.Running running -> integrity(status, IntegrityReport.running(running),
                    previous.condition(INTEGRITY_VERIFIED).isEmpty());
            case VerifyProgress.Finished finished -> integrity(status, IntegrityReport.finished(finished), true);
            case VerifyProgress.None none -> {
            }
            case VerifyProgress.Recorded recorded -> {
            }
        }
    }

    /** status.readReplicas and ReadReplicasReady; neither without read replicas in the spec. */
    private void readReplicas(RegistryStatus status, RegistryPlan plan, Observations observations) {
        if (!plan.readReplicas().configured()) {
            status.readReplicas = null;
            conditions.remove(READ_REPLICAS_READY);
            return;
        }
        status.readReplicas = ReadReplicaStatuses.of(plan.readReplicas(), previous.readReplicas, observations.readReplicas());
        ReadReplicaStatuses.Verdict verdict = ReadReplicaStatuses.verdict(plan.readReplicas(), status.readReplicas);
        conditions.set(READ_REPLICAS_READY, verdict.status(), verdict.reason(), verdict.message());
    }

    private void integrity(RegistryStatus status, IntegrityReport report, boolean condition) {
        status.verification = report.verification();
        if (condition) {
            conditions.set(INTEGRITY_VERIFIED, report.status(), report.reason(), report.message());
        }
    }

    private void condition(String type, Verdict verdict) {
        conditions.set(type, verdict.met() ? TRUE : FALSE, verdict.reason(), verdict.message());
    }

    private void budget(RegistryStatus status, RegistryPlan plan) {
        ConnectionBudget budget = plan.fleet().budget();
        var spec = registry.getSpec();
        String explained = plan.pooler() != null ? plan.pooler().explain(budget)
                : budget.explain(spec.connectionsPerPod.minimum, spec.rebalancingOrDefault().effectiveFloorPercent());
        ShareVerdict share = plan.share();
        boolean primaryFits = !budget.capped() && (share == null || share.fits());
        var replicaWithoutRoom = plan.readReplicas().withoutRoom();
        boolean fits = primaryFits && replicaWithoutRoom.isEmpty();
        String reason = share == null || share.fits() ? (primaryFits ? Reasons.BUDGET_FITS : Reasons.BUDGET_TOO_SMALL) : switch (share.state()) {
            case PENDING -> Reasons.BUDGET_PENDING;
            case NO_ROOM -> Reasons.NO_ROOM_ON_SERVER;
            case LEAVING -> Reasons.BUDGET_UNKNOWN;
            case CAPPED, FITS -> Reasons.BUDGET_TOO_SMALL;
        };
        String message = share == null ? explained : explained + "; " + share.message();
        if (replicaWithoutRoom.isPresent()) { // the primary's own verdict comes first
            reason = primaryFits ? Reasons.NO_ROOM_ON_REPLICA : reason;
            message = message + "; " + replicaWithoutRoom.get().message();
        }
        conditions.set(CONNECTION_BUDGET_READY, fits ? TRUE : FALSE, reason, message);
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
        status.budget = b;
        status.budgetSummary = budget.allocatedTotal() + "/" + budget.available();
    }

    private void rollout(RegistryStatus status, RegistryPlan plan, Rollout rollout) {
        MigrationProgress migration = rollout.migration();
        String message = migration.message(plan.image());
        switch (migration.state()) {
            case SUCCEEDED -> conditions.set(SCHEMA_READY, TRUE, Reasons.MIGRATION_SUCCEEDED, message);
            case FAILED -> conditions.set(SCHEMA_READY, FALSE, Reasons.MIGRATION_FAILED, message);
            case RUNNING -> conditions.set(SCHEMA_READY, FALSE, Reasons.MIGRATION_RUNNING, message);
        }
        status.image = plan.image();
        status.replicas = rollout.replicas();
        status.readyReplicas = rollout.ready();
        if (migration.state() == SchemaMigration.State.FAILED) {
            conditions.set(PROGRESSING, FALSE, Reasons.MIGRATION_FAILED, "rollout blocked by the failed schema migration"
                    + migration.nextAttemptAt().map(at -> ", retried at " + at).orElse(""));
        } else if (rollout.rolledOut()) {
            conditions.set(PROGRESSING, FALSE, Reasons.ROLLED_OUT, rollout.replicas() + " pods up to date");
        } else {
            conditions.set(PROGRESSING, TRUE, Reasons.ROLLING_OUT, migration.state() == SchemaMigration.State.RUNNING
                    ? "waiting for the schema migration" : rollout.updated() + " of " + rollout.wanted() + " pods updated");
        }
    }

    private String selector() {
        return FleetNames.selectorLabels(registry).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + "," + b).orElse("");
    }
}
