package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.plan.FleetPlanner;
import io.regfleet.control.plan.PlanRequest;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.PodAllocationStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;
import io.regfleet.operator.dependent.SchemaMigration;
import io.regfleet.operator.plan.MigrationJob;
import io.regfleet.operator.plan.RegistryPlan;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;
import io.regfleet.operator.reconciler.StatusAggregator.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every condition from one place, and status sent only when it changed: without any cluster. */
class StatusAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration RECHECK = Duration.ofSeconds(60);
    private static final Verdict DATABASE = Verdict.met(Reasons.CONNECTED, "max_connections 30");
    private static final Verdict STORAGE = Verdict.met(Reasons.STORAGE_CONFIGURED, "s3 bucket images");
    private static final Verdict ACCESS = Verdict.met(Reasons.ACCESS_CONTROL_OFF, "no spec.auth");
    private static final Verdict TLS = Verdict.met(Reasons.TLS_OFF, "no spec.tls");

    private static Registry registry(long generation) {
        Registry r = SampleRegistries.onS3("ns", "reg");
        r.getMetadata().setGeneration(generation);
        return r;
    }

    /** 30 - 3 - 2 = 25 available over 2 replicas + 1 surge, at least {@code perPodMinimum} each. */
    private static RegistryPlan plan(int perPodMinimum) {
        var budget = new BudgetRequest(new DatabaseLimits(30, 3, 0, -1, 0, false), null, 0, 2, 1, perPodMinimum, 20, 50);
        return new RegistryPlan(FleetPlanner.plan(new PlanRequest(budget, 8, 200, 4, OptionalInt.empty())), "registry:1", "v1",
                new MigrationJob("reg-migrate", 1, 2, Duration.ofMinutes(20)), "regfleet-system");
    }

    private static Outcome.Reconciled reconciled(RegistryPlan plan, boolean rolledOut) {
        var migrated = new MigrationProgress(SchemaMigration.State.SUCCEEDED, "reg-migrate", 1, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        Rollout rollout = new Rollout(migrated, 2, 2, rolledOut ? 2 : 1, 2, rolledOut);
        return reconciled(plan, rollout, Observations.NONE);
    }

    private static Outcome.Reconciled reconciled(RegistryPlan plan, Rollout rollout, Observations observations) {
        return new Outcome.Reconciled(new Prerequisites(DATABASE, STORAGE, null, "v1", ACCESS, TLS, null, null), plan, rollout, observations);
    }

    private static RegistryStatus decide(Registry registry, Instant at, Outcome outcome) {
        return new StatusAggregator(registry, at).decide(outcome);
    }

    private static Condition condition(RegistryStatus status, String type) {
        return status.condition(type).orElseThrow(() -> new AssertionError(type + " not in " + status.conditions));
    }

    @Test
    void readyFollowsTheRolloutAndTheBudget() {
        RegistryStatus ready = decide(registry(1), T0, reconciled(plan(2), true));
        assertEquals(RegistryConditions.TRUE, condition(ready, RegistryConditions.READY).getStatus());
        assertEquals(Reasons.ALL_REPLICAS_READY, condition(ready, RegistryConditions.READY).getReason());
        assertEquals(RegistryConditions.FALSE, condition(ready, RegistryConditions.RECONCILE_ERROR).getStatus());
        assertEquals(1L, ready.observedGeneration);
        assertEquals("reg.ns.svc:5000", ready.endpoint);

        RegistryStatus rolling = decide(registry(1), T0, reconciled(plan(2), false));
        assertEquals(Reasons.REPLICAS_NOT_READY, condition(rolling, RegistryConditions.READY).getReason());
        assertEquals("1/2 pods ready", condition(rolling, RegistryConditions.READY).getMessage());

        // 25 / 3 pods = 8 < 9: capped; every pod may be up, the fleet is not what was asked
        RegistryStatus capped = decide(registry(1), T0, reconciled(plan(9), true));
        assertEquals(RegistryConditions.FALSE, condition(capped, RegistryConditions.CONNECTION_BUDGET_READY).getStatus());
        assertEquals(RegistryConditions.FALSE, condition(capped, RegistryConditions.READY).getStatus());
        assertTrue(condition(capped, RegistryConditions.READY).getMessage().endsWith("replicas capped by the connection budget"));
    }

    @Test
    void unusablePrerequisitesLeaveTheBudgetUnknownAndTheFleetUnready() {
        Verdict missing = Verdict.unmet(Reasons.SECRET_NOT_FOUND, "Secret db not found");
        RegistryStatus blocked = decide(registry(3), T0, new Outcome.Blocked(new Prerequisites(missing, STORAGE, null, "v1", ACCESS, TLS, null, null)));
        assertEquals(Reasons.SECRET_NOT_FOUND, condition(blocked, RegistryConditions.DATABASE_READY).getReason());
        assertEquals(RegistryConditions.TRUE, condition(blocked, RegistryConditions.STORAGE_READY).getStatus());
        assertEquals(RegistryConditions.UNKNOWN, condition(blocked, RegistryConditions.CONNECTION_BUDGET_READY).getStatus());
        assertEquals(Reasons.PREREQUISITES_NOT_MET, condition(blocked, RegistryConditions.READY).getReason());
        assertEquals(3L, blocked.observedGeneration);
    }

    @Test
    void aFailedReconciliationKeepsEverythingElseAsItWas() {
        Registry registry = registry(4);
        registry.setStatus(decide(registry(3), T0, reconciled(plan(2), true)));
        RegistryStatus failed = decide(registry, T0.plusSeconds(5), new Outcome.Failed(new IllegalStateException("boom")));
        assertEquals(RegistryConditions.TRUE, condition(failed, RegistryConditions.RECONCILE_ERROR).getStatus());
        assertEquals("boom", condition(failed, RegistryConditions.RECONCILE_ERROR).getMessage());
        assertEquals(Reasons.RECONCILE_FAILED, condition(failed, RegistryConditions.READY).getReason());
        assertEquals(3L, failed.observedGeneration, "a failed reconciliation observed nothing new");
        assertEquals(registry.getStatus().budget, failed.budget);
        assertEquals(RegistryConditions.TRUE, condition(registry.getStatus(), RegistryConditions.READY).getStatus(),
                "the cached status is not touched");
    }

    @Test
    void anUnchangedStatusIsNotSentButTheRecheckStays() {
        Registry registry = registry(2);
        registry.setStatus(decide(registry, T0, reconciled(plan(2), false)));
        // the rebalancer's fields are its own: their presence in the cache is no change of the reconciler's status
        PodAllocationStatus allocation = new PodAllocationStatus();
        allocation.pod = "reg-1";
        allocation.poolMaxSize = 9;
        registry.getStatus().allocations = List.of(allocation);

        RegistryStatus again = decide(registry, T0.plus(Duration.ofMinutes(5)), reconciled(plan(2), false));
        UpdateControl<Registry> quiet = StatusPatch.of(registry, again, true, RECHECK);
        assertTrue(quiet.isNoUpdate());
        assertEquals(RECHECK.toMillis(), quiet.getScheduleDelay().orElseThrow());
        assertEquals(T0.toString(), condition(again, RegistryConditions.READY).getLastTransitionTime());

        RegistryStatus ready = decide(registry, T0.plus(Duration.ofMinutes(6)), reconciled(plan(2), true));
        UpdateControl<Registry> sent = StatusPatch.of(registry, ready, true, RECHECK);
        assertTrue(sent.isPatchStatus());
        assertEquals(RECHECK.toMillis(), sent.getScheduleDelay().orElseThrow());
        RegistryStatus patched = sent.getResource().orElseThrow().getStatus();
        assertEquals(T0.plus(Duration.ofMinutes(6)).toString(), condition(patched, RegistryConditions.READY).getLastTransitionTime());
        assertNull(patched.allocations, "under server-side apply the reconciler never sends the rebalancer's fields");
        assertFalse(StatusPatch.changed(patched, ready));
    }

    @Test
    void aRepeatedFailureIsNotSentAgain() {
        Registry registry = registry(1);
        registry.setStatus(decide(registry, T0, new Outcome.Failed(new IllegalStateException("boom"))));
        RegistryStatus same = decide(registry, T0.plusSeconds(30), new Outcome.Failed(new IllegalStateException("boom")));
        assertTrue(StatusPatch.ofError(registry, same, false).getResource().isEmpty());
        RegistryStatus other = decide(registry, T0.plusSeconds(30), new Outcome.Failed(new IllegalStateException("bang")));
        assertTrue(StatusPatch.ofError(registry, other, false).getResource().isPresent());
    }
}
