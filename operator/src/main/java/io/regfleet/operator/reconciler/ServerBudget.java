package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.regfleet.control.share.RegistryShare;
import io.regfleet.control.share.ShareClaim;
import io.regfleet.control.share.ShareState;
import io.regfleet.control.share.SharedFleet;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;
import io.regfleet.operator.plan.RegistryPlanner;
import io.regfleet.operator.share.RegistryShares;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A Registry's budget on the database server it shares with other Registries: its claim joined (or updated) with what
 * the probe saw, its plan from the share it is given, that share written to its status before anything of the plan
 * reaches the cluster; and once the pods that no rebalancer sizes all run the plan (rebalancing off, or PgBouncer
 * behind a pooler), what they may hold confirmed to the server, so a share they gave up can go to another Registry.
 */
@ApplicationScoped
class ServerBudget {
    private final RegistryShares shares;
    private final RegistryPlanner planner;
    private final SimpleInboundEventSource<Registry> wakeUps = new SimpleInboundEventSource<>("server-shares");

    ServerBudget(RegistryShares shares, RegistryPlanner planner) {
        this.shares = shares;
        this.planner = planner;
    }

    /**
     * Wakes the Registries a pending one waits for: their plans were lowered (it joined, or asked for more) without any
     * event of their own, and their Deployments follow only by a reconciliation.
     */
    EventSource<Void, Registry> eventSource() {
        return wakeUps;
    }

    /** The plan from the Registry's share of its server, recorded in its status first. */
    RegistryPlan plan(Registry registry, Context<Registry> context, Prerequisites checked, int migrationAttempt) {
        shares.start(context.getPrimaryCache());
        ShareClaim claim = planner.claim(registry, checked.server());
        SharedFleet shared = shares.join(registry, checked.server(), claim);
        RegistryPlan plan = planner.plan(registry, shared, checked.server(), checked.connection(), checked.secretsVersion(),
                migrationAttempt);
        shares.recordAhead(registry);
        if (plan.share() != null && plan.share().state() == ShareState.PENDING) {
            shared.shares().shares().stream().map(RegistryShare::registry).filter(key -> !key.equals(shared.registry()))
                    .forEach(key -> wakeUps.propagateEvent(new ResourceID(key.substring(key.indexOf('/') + 1),
                            key.substring(0, key.indexOf('/')))));
        }
        return plan;
    }

    /** Whether anything of the Registry may connect yet (its migration included): its server admitted it. */
    boolean admitted(Registry registry) {
        return shares.admitted(registry);
    }

    /**
     * Whether its plan may change without any Kubernetes event of its own: its share waits for other Registries to
     * release theirs or to leave (pending, no room now), or others on its server move it (a join lowers it, demand
     * shifts it); its Deployment's floor and, without a rebalancer, its pods' pools follow only by a reconciliation.
     */
    boolean followsOthers(Registry registry, RegistryPlan plan) {
        if (plan.share() == null) {
            return false;
        }
        ShareState state = plan.share().state();
        return state == ShareState.PENDING || state == ShareState.NO_ROOM
                || shares.current(FleetNames.key(registry)).map(s -> s.shares().shares().size() > 1).orElse(false);
    }

    /** Pods no rebalancer sizes: once every pod that exists (terminating ones too) runs the plan, the server counts its total. */
    void afterRollout(Registry registry, Context<Registry> context, RegistryPlan plan) {
        if (plan.pooler() != null) {
            String hash = plan.pooler().configHash();
            if (allPods(registry, context, FleetNames.poolerSelectorLabels(registry),
                    p -> hash.equals(p.getMetadata().getAnnotations() == null ? null
                            : p.getMetadata().getAnnotations().get(FleetNames.CONFIG_HASH_ANNOTATION)))) {
                shares.confirm(registry, plan.pooler().serverTotal());
            }
        } else if (!registry.getSpec().rebalancingOrDefault().active()) {
            String floor = Integer.toString(plan.fleet().startingPoolMax());
            if (allPods(registry, context, FleetNames.selectorLabels(registry), p -> floor.equals(poolMaxSize(p)))) {
                shares.confirm(registry, plan.fleet().budget().allocatedTotal());
            }
        }
    }

    private static boolean allPods(Registry registry, Context<Registry> context, Map<String, String> selector, Predicate<Pod> current) {
        List<Pod> pods = context.getClient().pods().inNamespace(registry.getMetadata().getNamespace()).withLabels(selector)
                .list().getItems();
        return pods.stream().allMatch(current);
    }

    private static String poolMaxSize(Pod pod) {
        return pod.getSpec().getContainers().stream().flatMap(c -> c.getEnv() == null ? null : c.getEnv().stream())
                .filter(e -> PodSetting.POOL_MAX_SIZE.env().equals(e.getName())).map(EnvVar::getValue)
                .filter(Objects::nonNull).findFirst().orElse(null);
    }
}
