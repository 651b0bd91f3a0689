package io.regfleet.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;
import io.regfleet.operator.bundle.OperatorCsvMetadata;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.dependent.AgentTokenSecretDependent;
import io.regfleet.operator.dependent.AlertsActive;
import io.regfleet.operator.dependent.DashboardActive;
import io.regfleet.operator.dependent.DashboardConfigMapDependent;
import io.regfleet.operator.dependent.PrometheusRuleDependent;
import io.regfleet.operator.dependent.AutoscalerDependent;
import io.regfleet.operator.dependent.AutoscalingActive;
import io.regfleet.operator.dependent.CertManagerCrdPresent;
import io.regfleet.operator.dependent.CertificateDependent;
import io.regfleet.operator.dependent.CertificateWanted;
import io.regfleet.operator.dependent.MigrationAttempts;
import io.regfleet.operator.dependent.MigrationJobDependent;
import io.regfleet.operator.dependent.MigrationSucceeded;
import io.regfleet.operator.dependent.NetworkPolicyDependent;
import io.regfleet.operator.dependent.NetworkPolicyEnabled;
import io.regfleet.operator.dependent.PodEnvironment;
import io.regfleet.operator.dependent.PodDisruptionBudgetDependent;
import io.regfleet.operator.dependent.PoolerDeploymentDependent;
import io.regfleet.operator.dependent.PoolerEnabled;
import io.regfleet.operator.dependent.PoolerSecretDependent;
import io.regfleet.operator.dependent.PoolerServiceDependent;
import io.regfleet.operator.dependent.RegistryDeploymentDependent;
import io.regfleet.operator.dependent.RegistryServiceDependent;
import io.regfleet.operator.dependent.RulesConfigMapDependent;
import io.regfleet.operator.dependent.RuntimeConfigMapDependent;
import io.regfleet.operator.dependent.SchemaMigration;
import io.regfleet.operator.dependent.ServiceAccountDependent;
import io.regfleet.operator.dependent.ServiceMonitorCrdPresent;
import io.regfleet.operator.dependent.ServiceMonitorDependent;
import io.regfleet.operator.metrics.RegistryMetrics;
import io.regfleet.operator.dependent.TokenKeySecretDependent;
import io.regfleet.operator.plan.RegistryPlan;
import io.regfleet.operator.plan.RegistryPlanner;
import io.regfleet.operator.rebalance.CollectorReports;
import io.regfleet.operator.rebalance.FleetRebalancers;
import io.regfleet.operator.rebalance.ReplicaReports;
import io.regfleet.operator.replica.ReadReplicaSettings;
import io.regfleet.operator.reconciler.StatusAggregator.Outcome;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reconciles a Registry: checks its prerequisites, plans the fleet from the live database's limits, keeps the
 * rebalancer in step, runs the managed workflow (explicitly, because every dependent's desired state depends on that
 * plan) and reports status. Nothing is deployed while the database, storage, access control or TLS settings are
 * unusable: existing objects are left as they are.
 */
// not generation-aware: RegistryChanges passes on the spec's changes and the annotations that ask for something
@ControllerConfiguration(name = RegistryReconciler.NAME, generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = RegistryChanges.class))
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "agent-token", type = AgentTokenSecretDependent.class),
        @Dependent(name = "token-key", type = TokenKeySecretDependent.class),
        @Dependent(name = "runtime-config", type = RuntimeConfigMapDependent.class),
        @Dependent(name = "rules", type = RulesConfigMapDependent.class),
        @Dependent(name = "service-account", type = ServiceAccountDependent.class),
        @Dependent(name = "schema-migration", type = MigrationJobDependent.class,
                dependsOn = {"runtime-config", "rules", "service-account"}, readyPostcondition = MigrationSucceeded.class),
        @Dependent(name = "deployment", type = RegistryDeploymentDependent.class,
                dependsOn = {"agent-token", "token-key", "runtime-config", "rules", "service-account", "schema-migration"}),
        // new pods of a Registry whose certificate is not issued yet wait for its Secret; old ones keep serving
        @Dependent(name = "certificate", type = CertificateDependent.class,
                activationCondition = CertManagerCrdPresent.class, reconcilePrecondition = CertificateWanted.class),
        // reconcile preconditions: when unmet the object is deleted (an activation condition would only stop watching it)
        @Dependent(name = "network-policy", type = NetworkPolicyDependent.class, reconcilePrecondition = NetworkPolicyEnabled.class),
        @Dependent(name = "service", type = RegistryServiceDependent.class),
        @Dependent(name = "pod-disruption-budget", type = PodDisruptionBudgetDependent.class),
        @Dependent(name = "autoscaler", type = AutoscalerDependent.class, reconcilePrecondition = AutoscalingActive.class),
        @Dependent(name = "service-monitor", type = ServiceMonitorDependent.class,
                activationCondition = ServiceMonitorCrdPresent.class),
        @Dependent(name = "alerts", type = PrometheusRuleDependent.class,
                activationCondition = AlertsActive.class, reconcilePrecondition = AlertsActive.Wanted.class),
        @Dependent(name = "dashboard", type = DashboardConfigMapDependent.class,
                activationCondition = DashboardActive.class, reconcilePrecondition = DashboardActive.Wanted.class),
        // PgBouncer (spec.database.pooler), deleted when the spec no longer asks for it
        @Dependent(name = "pooler-config", type = PoolerSecretDependent.class, reconcilePrecondition = PoolerEnabled.class),
        @Dependent(name = "pooler", type = PoolerDeploymentDependent.class, reconcilePrecondition = PoolerEnabled.class,
                dependsOn = "pooler-config"),
        @Dependent(name = "pooler-service", type = PoolerServiceDependent.class, reconcilePrecondition = PoolerEnabled.class)
})
@CSVMetadata(bundleName = OperatorCsvMetadata.BUNDLE_NAME)
// server-side apply creates with a PATCH: the agent-token Secret, created once, needs patch as well
@RBACRule(apiGroups = "", resources = "secrets", verbs = "patch")
@RBACRule(apiGroups = "", resources = "pods", verbs = "list")
// the verify Job's summary line
@RBACRule(apiGroups = "", resources = "pods/log", verbs = "get")
@RBACRule(apiGroups = "", resources = "events", verbs = "create")
@RBACRule(apiGroups = "", resources = "persistentvolumeclaims", verbs = "get")
@RBACRule(apiGroups = "storage.k8s.io", resources = "storageclasses", verbs = "get")
@RBACRule(apiGroups = "coordination.k8s.io", resources = "leases", verbs = {"get", "create", "update", "patch"})
public class RegistryReconciler implements Reconciler<Registry> {
    public static final String NAME = "registry";

    private final PrerequisiteCheck prerequisites;
    private final RegistryPlanner planner;
    private final FleetRebalancers rebalancers;
    private final CollectorReports collectors;
    private final ReplicaReports replicaReports;
    private final ServerBudget budget;
    private final ReplicaCheck replicas;
    private final OperatorConfig config;
    private final RegistryMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public RegistryReconciler(PrerequisiteCheck prerequisites, RegistryPlanner planner, FleetRebalancers rebalancers,
                              CollectorReports collectors, ReplicaReports replicaReports, ServerBudget budget,
                              ReplicaCheck replicas, OperatorConfig config, RegistryMetrics metrics) {
        this.replicaReports = replicaReports;
        this.replicas = replicas;
        this.prerequisites = prerequisites;
        this.metrics = metrics;
        this.planner = planner;
        this.rebalancers = rebalancers;
        this.collectors = collectors;
        this.budget = budget;
        this.config = config;
    }

    @Override
    public List<EventSource<?, Registry>> prepareEventSources(EventSourceContext<Registry> context) {
        return List.of(ReferencedSecrets.eventSource(context), budget.eventSource());
    }

    @Override
    public UpdateControl<Registry> reconcile(Registry registry, Context<Registry> context) {
        Optional<String> refusal = PodEnvironment.refusal(registry).or(() -> ReadReplicaSettings.refusal(registry));
        if (refusal.isPresent()) {
            return report(registry, context, new Outcome.Invalid(refusal.get()), config.budgetRecheckInterval());
        }
        Prerequisites checked = prerequisites.check(registry, context);
        if (!checked.met()) {
            rebalancers.stop(FleetRebalancers.key(registry)); // no budget to share; status keeps the last allocations
            return report(registry, context, new Outcome.Blocked(checked), config.budgetRecheckInterval());
        }
        Instant now = clock.instant();
        MigrationAttempts attempts = MigrationAttempts.of(registry, planner.image(registry.getSpec()), context,
                new MigrationAttempts.Backoff(config.migration().retryInitial(), config.migration().retryMax()));
        RegistryPlan plan = budget.plan(registry, context, checked, attempts.due(now));
        plan = plan.withReadReplicas(replicas.plan(registry, context, checked.connection(), checked.server(),
                plan.fleet().budget().podsCounted(), plan.fleet().startingPoolMax(), budget.admitted(registry)));
        rebalancers.follow(registry, plan);
        metrics.budget(registry, plan.fleet().budget(), plan.readReplicas());
        context.managedWorkflowAndDependentResourceContext().put(RegistryPlan.CONTEXT_KEY, plan);
        if (budget.admitted(registry)) { // not yet admitted to its server: nothing of it may connect, its migration neither
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        }
        Rollout rollout = Rollout.observe(registry, context, plan, attempts);
        SchemaMigration.deleteSuperseded(registry, context, plan, rollout.migration().state());
        budget.afterRollout(registry, context, plan);
        // a failed migration is retried without any event: come back when the next attempt is due
        Duration recheck = rollout.migration().nextAttemptAt()
                .map(at -> Duration.between(now, at)).filter(d -> d.compareTo(config.budgetRecheckInterval()) < 0)
                .map(d -> d.isNegative() ? Duration.ofSeconds(1) : d.plusSeconds(1))
                .orElse(config.budgetRecheckInterval());
        if (budget.followsOthers(registry, plan) && recheck.compareTo(config.rebalance().interval()) > 0) {
            recheck = config.rebalance().interval(); // the others release, leave or move its share without any event
        }
        Duration replicaStatus = config.replicaStatusInterval();
        if (plan.readReplicas().configured() && replicaStatus.isPositive() && recheck.compareTo(replicaStatus) > 0) {
            recheck = replicaStatus; // a replica the pods quarantine shows in status without any event
        }
        Observations observed = new Observations(TlsCheck.issued(registry, context),
                VerifyRuns.reconcile(registry, context, plan.image(), rollout.migration(), config.verify()),
                collectors.read(registry, now), replicaReports.read(registry, now));
        return report(registry, context, new Outcome.Reconciled(checked, plan, rollout, observed), recheck);
    }

    /** A failed reconciliation is retried with backoff for as long as it fails (the retry settings in application.properties). */
    @Override
    public ErrorStatusUpdateControl<Registry> updateErrorStatus(Registry registry, Context<Registry> context, Exception e) {
        RegistryStatus next = new StatusAggregator(registry, clock.instant()).decide(new Outcome.Failed(e));
        metrics.conditions(registry, next);
        return StatusPatch.ofError(registry, next, ssa(context));
    }

    /** Status as decided, sent if it changed; foreign connections change without any Kubernetes event: recheck. */
    private UpdateControl<Registry> report(Registry registry, Context<Registry> context, Outcome outcome, Duration recheck) {
        RegistryStatus next = new StatusAggregator(registry, clock.instant()).decide(outcome);
        metrics.retainOnly(context.getPrimaryCache().list().map(FleetRebalancers::key).collect(Collectors.toSet()));
        metrics.conditions(registry, next);
        return StatusPatch.of(registry, next, ssa(context), recheck);
    }

    private static boolean ssa(Context<Registry> context) {
        return context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource();
    }
}
