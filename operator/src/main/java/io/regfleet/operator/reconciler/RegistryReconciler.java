package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
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
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.probe.DatabaseLimitsProbe;
import io.regfleet.operator.api.v1alpha1.RebalancingSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.dependent.AgentTokenSecretDependent;
import io.regfleet.operator.dependent.AutoscalerDependent;
import io.regfleet.operator.dependent.AutoscalingActive;
import io.regfleet.operator.dependent.FleetNames;
import io.regfleet.operator.dependent.MigrationJobDependent;
import io.regfleet.operator.dependent.MigrationSucceeded;
import io.regfleet.operator.dependent.PodDisruptionBudgetDependent;
import io.regfleet.operator.dependent.RegistryDeploymentDependent;
import io.regfleet.operator.dependent.RegistryServiceDependent;
import io.regfleet.operator.dependent.RuntimeConfigMapDependent;
import io.regfleet.operator.dependent.ServiceMonitorCrdPresent;
import io.regfleet.operator.dependent.ServiceMonitorDependent;
import io.regfleet.operator.plan.RegistryPlan;
import io.regfleet.operator.plan.RegistryPlanner;
import io.regfleet.operator.rebalance.FleetRebalancers;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reconciles a Registry: reads the live database's limits, computes the connection budget, then runs the managed
 * workflow (explicitly, because every dependent's desired state depends on that budget) and reports status.
 * Nothing is deployed while the database or storage settings are unusable: existing objects are left as they are.
 */
@ControllerConfiguration(name = RegistryReconciler.NAME)
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = AgentTokenSecretDependent.NAME, type = AgentTokenSecretDependent.class),
        @Dependent(name = RuntimeConfigMapDependent.NAME, type = RuntimeConfigMapDependent.class),
        @Dependent(name = MigrationJobDependent.NAME, type = MigrationJobDependent.class,
                dependsOn = RuntimeConfigMapDependent.NAME, readyPostcondition = MigrationSucceeded.class),
        @Dependent(name = RegistryDeploymentDependent.NAME, type = RegistryDeploymentDependent.class,
                dependsOn = {AgentTokenSecretDependent.NAME, RuntimeConfigMapDependent.NAME, MigrationJobDependent.NAME}),
        @Dependent(name = RegistryServiceDependent.NAME, type = RegistryServiceDependent.class),
        @Dependent(name = PodDisruptionBudgetDependent.NAME, type = PodDisruptionBudgetDependent.class),
        @Dependent(name = AutoscalerDependent.NAME, type = AutoscalerDependent.class,
                activationCondition = AutoscalingActive.class),
        @Dependent(name = ServiceMonitorDependent.NAME, type = ServiceMonitorDependent.class,
                activationCondition = ServiceMonitorCrdPresent.class)
})
@CSVMetadata(
        name = "regfleet-operator",
        displayName = "Regfleet",
        description = """
                Regfleet runs fleets of OCI container registries on PostgreSQL (or Aurora) and S3 or a PVC, and keeps \
                their database connections inside a budget: it reads the live database's limits, gives every registry \
                pod a share that fits (replicas, autoscaler maximum and rollout surge counted), caps the fleet when even \
                the minimum does not fit, and runs schema migrations once per version before new pods serve.""",
        keywords = {"registry", "oci", "container registry", "postgresql", "s3"},
        maturity = "alpha",
        provider = @CSVMetadata.Provider(name = "Regfleet"),
        maintainers = @CSVMetadata.Maintainer(name = "Regfleet maintainers", email = "maintainers@regfleet.io"),
        icon = @CSVMetadata.Icon(fileName = "regfleet-icon.svg", mediatype = "image/svg+xml"),
        installModes = {
                @CSVMetadata.InstallMode(type = "OwnNamespace", supported = true),
                @CSVMetadata.InstallMode(type = "SingleNamespace", supported = true),
                @CSVMetadata.InstallMode(type = "MultiNamespace", supported = true),
                @CSVMetadata.InstallMode(type = "AllNamespaces", supported = true)
        },
        annotations = @CSVMetadata.Annotations(
                capabilities = "Seamless Upgrades",
                categories = "Developer Tools",
                repository = "https://github.com/regfleet/regfleet",
                containerImage = "ghcr.io/regfleet/regfleet-operator:0.1.0",
                // the samples of config/samples, kept equal by AlmExamplesTest
                almExamples = """
                        [
                          {
                            "apiVersion": "regfleet.io/v1alpha1",
                            "kind": "Registry",
                            "metadata": {
                              "name": "registry-s3"
                            },
                            "spec": {
                              "image": "ghcr.io/regfleet/registry-runtime:0.1.0",
                              "autoscaling": {
                                "minReplicas": 2,
                                "maxReplicas": 6,
                                "targetCPUUtilizationPercentage": 70
                              },
                              "resources": {
                                "requests": {
                                  "cpu": "250m",
                                  "memory": "384Mi"
                                },
                                "limits": {
                                  "memory": "768Mi"
                                }
                              },
                              "storage": {
                                "s3": {
                                  "bucket": "regfleet-blobs",
                                  "region": "eu-west-1",
                                  "credentialsSecret": "registry-s3-credentials"
                                }
                              },
                              "database": {
                                "secretName": "registry-db",
                                "sslMode": "verify-full",
                                "reservedConnections": 5
                              },
                              "connectionsPerPod": {
                                "minimum": 2,
                                "maximum": 20
                              },
                              "workers": {
                                "minimum": 8,
                                "maximum": 200
                              }
                            }
                          },
                          {
                            "apiVersion": "regfleet.io/v1alpha1",
                            "kind": "Registry",
                            "metadata": {
                              "name": "registry-pvc"
                            },
                            "spec": {
                              "image": "ghcr.io/regfleet/registry-runtime:0.1.0",
                              "replicas": 2,
                              "storage": {
                                "filesystem": {
                                  "claimName": "registry-blobs"
                                }
                              },
                              "database": {
                                "secretName": "registry-db",
                                "sslMode": "require"
                              },
                              "connectionsPerPod": {
                                "minimum": 2,
                                "maximum": 10
                              }
                            }
                          }
                        ]
                        """),
        minKubeVersion = "1.27.0")
@RBACRule(apiGroups = "", resources = "pods", verbs = "list")
@RBACRule(apiGroups = "", resources = "events", verbs = "create")
@RBACRule(apiGroups = "", resources = "persistentvolumeclaims", verbs = "get")
@RBACRule(apiGroups = "coordination.k8s.io", resources = "leases", verbs = {"get", "create", "update", "patch"})
public class RegistryReconciler implements Reconciler<Registry> {
    public static final String NAME = "registry";
    private static final Logger LOG = Logger.getLogger(RegistryReconciler.class);
    private static final List<String> DATABASE_KEYS = List.of("host", "port", "database", "user", "password");
    private static final List<String> S3_KEYS = List.of("accessKeyId", "secretAccessKey");

    private final DatabaseLimitsProbe probe;
    private final OperatorConfig config;
    private final FleetRebalancers rebalancers;
    private final RegistryPlanner planner;
    private final Clock clock;

    public RegistryReconciler(DatabaseLimitsProbe probe, OperatorConfig config, FleetRebalancers rebalancers,
                              RegistryPlanner planner) {
        this.probe = probe;
        this.config = config;
        this.rebalancers = rebalancers;
        this.planner = planner;
        this.clock = Clock.systemUTC();
    }

    @Override
    public List<EventSource<?, Registry>> prepareEventSources(EventSourceContext<Registry> context) {
        return List.of(ReferencedSecrets.eventSource(context));
    }

    @Override
    public UpdateControl<Registry> reconcile(Registry registry, Context<Registry> context) {
        RegistrySpec spec = registry.getSpec();
        String namespace = registry.getMetadata().getNamespace();
        RegistryStatus previous = registry.getStatus() == null ? new RegistryStatus() : registry.getStatus();
        StatusConditions conditions = new StatusConditions(previous.getConditions(), registry.getMetadata().getGeneration(), clock.instant());
        RegistryStatus status = new RegistryStatus();
        status.setEndpoint(FleetNames.endpoint(registry));
        status.setSelector(selector(registry));
        status.setBudget(previous.getBudget());
        status.setBudgetSummary(previous.getBudgetSummary());
        status.setReplicas(previous.getReplicas());
        status.setReadyReplicas(previous.getReadyReplicas());
        keepRebalancerFields(previous, status, context);

        Optional<Secret> dbSecret = ReferencedSecrets.get(context, namespace, spec.database.secretName);
        SecretCheck db = SecretCheck.read(dbSecret, spec.database.secretName, DATABASE_KEYS);
        boolean storageOk = checkStorage(registry, context, conditions);
        if (!db.ok()) {
            conditions.set(RegistryConditions.DATABASE_READY, RegistryConditions.FALSE, db.failureReason(), db.failureMessage());
            return blocked(registry, status, conditions);
        }
        DatabaseConnectionInfo connection;
        try {
            connection = new DatabaseConnectionInfo(db.values().get("host"), Integer.parseInt(db.values().get("port")),
                    db.values().get("database"), db.values().get("user"), db.values().get("password"), spec.database.sslMode.value());
        } catch (NumberFormatException e) {
            conditions.set(RegistryConditions.DATABASE_READY, RegistryConditions.FALSE, Reasons.SECRET_KEY_MISSING,
                    "Secret " + spec.database.secretName + " key port is not a number");
            return blocked(registry, status, conditions);
        }
        DatabaseLimits limits;
        try {
            limits = probe.probe(connection);
        } catch (SQLException e) {
            LOG.debugf(e, "database probe failed for %s/%s", namespace, registry.getMetadata().getName());
            conditions.set(RegistryConditions.DATABASE_READY, RegistryConditions.FALSE, Reasons.DATABASE_UNREACHABLE,
                    "cannot read the limits of " + connection.host() + ":" + connection.port() + "/" + connection.database()
                            + ": " + e.getMessage());
            return blocked(registry, status, conditions);
        }
        conditions.set(RegistryConditions.DATABASE_READY, RegistryConditions.TRUE, Reasons.CONNECTED,
                "max_connections " + limits.maxConnections() + (limits.aurora() ? " (Aurora)" : ""));
        if (!storageOk) {
            return blocked(registry, status, conditions);
        }

        RegistryPlan plan = planner.plan(spec, limits, secretsVersion(registry, context));
        ConnectionBudget budget = plan.fleet().budget();
        int perPodMinimum = spec.connectionsPerPod.minimum;
        RebalancingSpec rebalancing = spec.rebalancingOrDefault();
        conditions.set(RegistryConditions.CONNECTION_BUDGET_READY,
                budget.capped() ? RegistryConditions.FALSE : RegistryConditions.TRUE,
                budget.capped() ? Reasons.BUDGET_TOO_SMALL : Reasons.BUDGET_FITS,
                budget.explain(perPodMinimum, rebalancing.effectiveFloorPercent()));
        if (rebalancing.active()) {
            rebalancers.ensure(registry, plan);
        } else {
            rebalancers.stop(FleetRebalancers.key(registry));
        }

        context.managedWorkflowAndDependentResourceContext().put(RegistryPlan.CONTEXT_KEY, plan);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

        new FleetStatus(registry, context, plan).fill(status, conditions);
        if (conditions.isTrue(RegistryConditions.SCHEMA_READY)) {
            deleteSupersededMigrationJobs(registry, context);
        }
        conditions.set(RegistryConditions.RECONCILE_ERROR, RegistryConditions.FALSE, Reasons.RECONCILED, "");
        return finish(registry, status, conditions);
    }

    @Override
    public ErrorStatusUpdateControl<Registry> updateErrorStatus(Registry registry, Context<Registry> context, Exception e) {
        RegistryStatus previous = registry.getStatus() == null ? new RegistryStatus() : registry.getStatus();
        StatusConditions conditions = new StatusConditions(previous.getConditions(), registry.getMetadata().getGeneration(), clock.instant());
        conditions.set(RegistryConditions.RECONCILE_ERROR, RegistryConditions.TRUE, Reasons.RECONCILE_FAILED, String.valueOf(e.getMessage()));
        conditions.set(RegistryConditions.READY, RegistryConditions.FALSE, Reasons.RECONCILE_FAILED, "reconciliation failed, retrying");
        previous.setConditions(conditions.toList());
        if (ssa(context)) {
            // the rebalancer's fields: applying them would make the reconciler their owner
            previous.setAllocations(null);
            previous.setRebalance(null);
        }
        return ErrorStatusUpdateControl.patchStatus(statusOnly(registry, previous));
    }

    /**
     * status.allocations and status.rebalance belong to the rebalancer, which merge-patches them from its own thread.
     * With server-side apply the reconciler leaves them out, so its field manager never owns them. Without it, JOSDK
     * patches status with a JSON patch computed against the cached Registry: carrying the cached values over makes
     * that patch leave both fields alone, whatever the rebalancer wrote since.
     */
    private static void keepRebalancerFields(RegistryStatus previous, RegistryStatus status, Context<Registry> context) {
        if (!ssa(context)) {
            status.setAllocations(previous.getAllocations());
            status.setRebalance(previous.getRebalance());
        }
    }

    private static boolean ssa(Context<Registry> context) {
        return context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource();
    }

    /** Jobs of earlier images are done with once the current image's migration succeeded. */
    private static void deleteSupersededMigrationJobs(Registry registry, Context<Registry> context) {
        String current = FleetNames.migrationJob(registry);
        context.getSecondaryResourcesAsStream(Job.class)
                .filter(job -> !current.equals(job.getMetadata().getName()))
                .filter(job -> "schema-migration".equals(job.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .forEach(job -> context.getClient().resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }

    private boolean checkStorage(Registry registry, Context<Registry> context, StatusConditions conditions) {
        var storage = registry.getSpec().storage;
        String namespace = registry.getMetadata().getNamespace();
        if (storage.s3 != null && storage.s3.credentialsSecret != null && !storage.s3.credentialsSecret.isBlank()) {
            SecretCheck s3 = SecretCheck.read(ReferencedSecrets.get(context, namespace, storage.s3.credentialsSecret),
                    storage.s3.credentialsSecret, S3_KEYS);
            if (!s3.ok()) {
                conditions.set(RegistryConditions.STORAGE_READY, RegistryConditions.FALSE, s3.failureReason(), s3.failureMessage());
                return false;
            }
        }
        if (storage.filesystem != null) {
            PersistentVolumeClaim claim = context.getClient().persistentVolumeClaims().inNamespace(namespace)
                    .withName(storage.filesystem.claimName).get();
            if (claim == null) {
                conditions.set(RegistryConditions.STORAGE_READY, RegistryConditions.FALSE, Reasons.CLAIM_NOT_FOUND,
                        "PersistentVolumeClaim " + storage.filesystem.claimName + " not found");
                return false;
            }
        }
        conditions.set(RegistryConditions.STORAGE_READY, RegistryConditions.TRUE, Reasons.STORAGE_CONFIGURED,
                storage.s3 != null ? "s3 bucket " + storage.s3.bucket : "filesystem on claim " + storage.filesystem.claimName);
        return true;
    }

    /** Digest of the referenced Secrets' versions: the pods read them as env at start, so a change must roll them. */
    private static String secretsVersion(Registry registry, Context<Registry> context) {
        Map<String, String> versions = new TreeMap<>();
        for (String name : ReferencedSecrets.namesOf(registry)) {
            versions.put(name, ReferencedSecrets.get(context, registry.getMetadata().getNamespace(), name)
                    .map(s -> s.getMetadata().getResourceVersion()).orElse("absent"));
        }
        return FleetNames.sha256(versions.toString()).substring(0, 16);
    }

    private UpdateControl<Registry> blocked(Registry registry, RegistryStatus status, StatusConditions conditions) {
        rebalancers.stop(FleetRebalancers.key(registry)); // no budget to share; status keeps the last allocations
        conditions.set(RegistryConditions.CONNECTION_BUDGET_READY, RegistryConditions.UNKNOWN, Reasons.BUDGET_UNKNOWN,
                "the budget is computed once the database and storage settings are usable");
        conditions.set(RegistryConditions.READY, RegistryConditions.FALSE, Reasons.PREREQUISITES_NOT_MET,
                "database or storage settings are not usable; see DatabaseReady and StorageReady");
        conditions.set(RegistryConditions.RECONCILE_ERROR, RegistryConditions.FALSE, Reasons.RECONCILED, "");
        return finish(registry, status, conditions);
    }

    private UpdateControl<Registry> finish(Registry registry, RegistryStatus status, StatusConditions conditions) {
        status.setObservedGeneration(registry.getMetadata().getGeneration());
        status.setConditions(conditions.toList());
        // foreign connections change without any Kubernetes event: recompute the budget periodically
        return UpdateControl.patchStatus(statusOnly(registry, status)).rescheduleAfter(config.budgetRecheckInterval());
    }

    /** A fresh object carrying only identity and status, so a server-side-apply status patch claims nothing else. */
    private static Registry statusOnly(Registry registry, RegistryStatus status) {
        Registry patch = new Registry();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(registry.getMetadata().getName())
                .withNamespace(registry.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        return patch;
    }

    private static String selector(Registry registry) {
        return FleetNames.selectorLabels(registry).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + "," + b).orElse("");
    }
}
