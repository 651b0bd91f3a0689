package io.regfleet.operator.plan;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.ConnectionBudgetCalculator;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.plan.FleetPlanner;
import io.regfleet.control.plan.PlanRequest;
import io.regfleet.control.plan.PoolerRequest;
import io.regfleet.control.pooler.PgBouncerSettings;
import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.control.share.ShareClaim;
import io.regfleet.control.share.SharedFleet;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.PoolerSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistrySpec;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.naming.FleetNames;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * A Registry's spec and the live server as a claim on the server's shares and a plan from the share it is given
 * (fleet-control's planner). Behind PgBouncer the claim is the pooler's (its instances' server connections, fixed by
 * the share) and the pods' plan shares PgBouncer's client limit.
 */
@ApplicationScoped
public class RegistryPlanner {
    /** Fewest server connections a PgBouncer pod is given: fewer would serialize the registry's work. */
    static final int POOLER_MINIMUM = 2;

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

    /** What the Registry asks of its database server: its pods' plan, or its pooler's when it has one. */
    public ShareClaim claim(Registry registry, ServerSnapshot server) {
        RegistrySpec spec = registry.getSpec();
        PlanRequest pods = request(spec, server.limits());
        var share = spec.database.shareOrDefault();
        PoolerSpec pooler = spec.database.pooler;
        return pooler == null
                ? new ShareClaim(FleetNames.key(registry), registry.getMetadata().getName(), share.weight, share.minimum,
                        spec.rebalancingOrDefault().active(), pods)
                : new ShareClaim(FleetNames.key(registry), registry.getMetadata().getName(), share.weight, share.minimum,
                        false, poolerRequest(pooler).serverRequest(pods.budget()));
    }

    /**
     * @param shared           the Registry's handle on its server, joined with {@link #claim}
     * @param database         how the operator reached the database (PgBouncer connects the same way)
     * @param migrationAttempt the attempt of the schema migration of this image that is due now (see
     *                         io.regfleet.operator.dependent.MigrationAttempts)
     */
    public RegistryPlan plan(Registry registry, SharedFleet shared, ServerSnapshot server, DatabaseConnectionInfo database,
                             String secretsVersion, int migrationAttempt) {
        RegistrySpec spec = registry.getSpec();
        PlanRequest pods = request(spec, server.limits());
        FleetPlan granted = shared.plan();
        String image = image(spec);
        MigrationJob migration = new MigrationJob(FleetNames.migrationJob(registry, image, migrationAttempt), migrationAttempt,
                config.migration().backoffLimit(), config.migration().deadline());
        PoolerSpec poolerSpec = spec.database.pooler;
        if (poolerSpec == null) {
            int share = granted.limits().map(FleetLimits::available).orElse(granted.budget().available());
            FleetPlan fleet = describing(granted, server, pods, share);
            return new RegistryPlan(fleet, image, secretsVersion, migration, operatorNamespace, null, shared.verdict());
        }
        PoolerRequest request = poolerRequest(poolerSpec);
        int instances = granted.budget().maxReplicas();
        int perInstance = Math.max(1, granted.startingPoolMax());
        PgBouncerSettings settings = new PgBouncerSettings("0.0.0.0", PoolerPlan.PORT, new PgBouncerSettings.Server(
                database.host(), database.port(), database.database(), database.user(), database.sslMode(),
                database.sslRootCert() == null ? null : PodContract.DB_CA_FILE), perInstance, poolerSpec.clientConnections,
                poolerSpec.maxPreparedStatements, new PgBouncerSettings.ServerTimeouts(
                Duration.ofSeconds(spec.database.idleSessionTimeoutSeconds),
                Duration.ofSeconds(spec.database.idleInTransactionTimeoutSeconds)));
        PoolerPlan pooler = new PoolerPlan(poolerSpec, settings, database.password(), instances, granted.budget().podsCounted());
        // no pooler pod fits the server: no registry pod either, it could not reach the database
        FleetPlan fleet = instances == 0 ? FleetPlanner.plan(pods, 0, 0) : request.clientPlan(pods);
        fleet = describing(fleet, server, pods, fleet.limits().map(FleetLimits::available).orElse(0));
        return new RegistryPlan(fleet, image, secretsVersion, migration, operatorNamespace, pooler, shared.verdict());
    }

    private PlanRequest request(RegistrySpec spec, DatabaseLimits limits) {
        boolean autoscaled = spec.autoscaling != null;
        int desired = autoscaled ? Math.max(spec.autoscaling.maxReplicas, spec.autoscaling.minReplicas) : spec.replicas;
        int verify = config.verify().connections();
        BudgetRequest budget = new BudgetRequest(VerifyReserve.withheld(limits, verify), spec.database.maxConnections,
                (spec.database.reservedConnections == null ? 0 : spec.database.reservedConnections) + verify, desired,
                config.maxSurge(), spec.connectionsPerPod.minimum, spec.connectionsPerPod.maximum,
                spec.rebalancingOrDefault().effectiveFloorPercent());
        return new PlanRequest(budget, spec.workers.minimum, spec.workers.maximum,
                config.workersPerConnection(), autoscaled ? OptionalInt.of(spec.autoscaling.minReplicas) : OptionalInt.empty());
    }

    private static PoolerRequest poolerRequest(PoolerSpec pooler) {
        return new PoolerRequest(pooler.replicas, Math.min(POOLER_MINIMUM, pooler.maxServerConnections),
                pooler.maxServerConnections, pooler.clientConnections);
    }

    /**
     * The plan with its budget as status shows it: what the fleet may hold now ({@code available}), and the server's
     * numbers it came from (the server's reserves and this Registry's, connections outside every Registry).
     */
    private static FleetPlan describing(FleetPlan plan, ServerSnapshot server, PlanRequest request, int available) {
        DatabaseLimits limits = server.limits();
        BudgetRequest b = request.budget();
        int serverMax = b.maxConnectionsOverride() != null ? b.maxConnectionsOverride() : limits.maxConnections();
        int reserved = limits.superuserReservedConnections() + limits.reservedConnections()
                + (limits.aurora() ? ConnectionBudgetCalculator.AURORA_AUTOMATION_CONNECTIONS : 0) + b.specReserved()
                + ConnectionBudgetCalculator.OPERATOR_PROBE_CONNECTIONS + ConnectionBudgetCalculator.MIGRATION_JOB_CONNECTIONS;
        ConnectionBudget s = plan.budget();
        ConnectionBudget described = new ConnectionBudget(serverMax, reserved, limits.heldByOthers(), limits.roleConnectionLimit(),
                available, s.maxReplicas(), s.maxSurge(), s.podsCounted(), s.perPodFloor(), s.allocatedTotal(), s.capped(),
                s.desiredReplicas());
        return new FleetPlan(described, plan.limits(), plan.startingWorkers(), plan.hpaMinReplicas());
    }
}
