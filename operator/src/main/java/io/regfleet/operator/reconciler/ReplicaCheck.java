package io.regfleet.operator.reconciler;

import io.regfleet.control.budget.ReplicaBudget;
import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.probe.ReplicaSnapshot;
import io.regfleet.control.probe.ServerProbe;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.operator.api.v1alpha1.DatabaseSpec;
import io.regfleet.operator.api.v1alpha1.ReadReplicaSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.control.share.ReplicaShares.ReplicaShare;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.replica.ReadReplicaPlan;
import io.regfleet.operator.replica.ReplicaLedger;
import io.regfleet.operator.replica.ReplicaPods;
import io.regfleet.operator.replica.ReplicaOutcome;
import io.regfleet.operator.replica.ReplicaOutcome.State;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Each read replica's budget from its own live limits, probed as the primary is (its connection details, its TLS,
 * another host and port), and shared with every other Registry naming the same replica ({@link ReplicaLedger}: each is
 * counted at what its pods may hold there, first come first served). Kept out of the primary's shares: a standby has
 * its primary's system_identifier, and its connections are not the primary's. A replica the probe cannot reach keeps
 * the budget its status last recorded, so a replica's outage does not roll the pods (they quarantine it themselves).
 */
@ApplicationScoped
class ReplicaCheck {
    private static final Logger LOG = Logger.getLogger(ReplicaCheck.class);

    private final ServerProbe probe;
    private final ReplicaLedger ledger;

    ReplicaCheck(ServerProbe probe, ReplicaLedger ledger) {
        this.probe = probe;
        this.ledger = ledger;
    }

    /** One replica the spec names, as the probe reaches it. */
    private record Target(String address, DatabaseConnectionInfo connection) {
    }

    /**
     * @param primary     how the primary was reached (the replicas share its database, credentials and TLS)
     * @param server      what the probe saw of the primary
     * @param podsCounted the pods that can exist at once, each with a pool on every replica
     * @param startFloor  the primary's floor: with rebalancing on, each replica pool starts at it (or lower, to fit)
     * @param admitted    whether the primary admitted the Registry: one that is not (its pods do not start) holds no
     *                    room on a replica, where it would stand in the way of the others for as long as it waits
     */
    ReadReplicaPlan plan(Registry registry, Context<Registry> context, DatabaseConnectionInfo primary, ServerSnapshot server,
                         int podsCounted, int startFloor, boolean admitted) {
        DatabaseSpec spec = registry.getSpec().database;
        if (spec.readReplicasOrNone().isEmpty()) {
            return ReadReplicaPlan.NONE;
        }
        ledger.start(context.getPrimaryCache());
        Map<String, Target> targets = new LinkedHashMap<>();
        for (ReadReplicaSpec r : spec.readReplicasOrNone()) {
            int port = r.port == null ? primary.port() : r.port;
            // one with and one without the primary's port are one replica
            targets.putIfAbsent(r.host + ":" + port, new Target(r.host + ":" + port, new DatabaseConnectionInfo(r.host, port,
                    primary.database(), primary.user(), primary.password(), primary.sslMode(), primary.sslRootCert())));
        }
        ReplicaPods pods = pods(registry, context);
        boolean rebalanced = registry.getSpec().rebalancingOrDefault().active();
        Map<String, ReplicaSnapshot> seen = new LinkedHashMap<>();
        List<ReplicaOutcome> first = targets.values().stream()
                .map(t -> outcome(registry, t, server, podsCounted, pods, Integer.MAX_VALUE, seen)).toList();
        // fixed pools: the pods have one size for every replica, the smallest; each replica then counts them at that
        // (rebalanced ones start at a common floor and each replica's rebalancer moves them within its own part)
        Optional<Integer> poolMax = rebalanced ? Optional.empty() : new ReadReplicaPlan(first, null).poolMax();
        List<ReplicaOutcome> outcomes = poolMax.isEmpty() ? first : first.stream()
                .map(o -> o.state() == State.FITS && o.budget().perPodPool() > poolMax.get()
                        ? outcome(registry, targets.get(o.replica()), server, podsCounted, pods, poolMax.get(), seen) : o)
                .toList();
        Set<String> kept = new HashSet<>();
        outcomes.stream().map(ReplicaOutcome::share).filter(Objects::nonNull).forEach(s -> kept.add(s.identity()));
        registry.recordedReadReplicas().stream().filter(s -> s.identity != null && outcomes.stream().anyMatch(o ->
                o.replica().equals(s.replica) && o.state() == State.UNREACHABLE)).forEach(s -> kept.add(s.identity));
        ledger.retainOnly(registry, admitted ? kept : Set.of(), pods.inUse());
        return new ReadReplicaPlan(outcomes, spec.replicaMaxLagOrDefault(), rebalanced ? Math.max(1, startFloor) : 0,
                registry.getSpec().connectionsPerPod.maximum);
    }

    private static ReplicaPods pods(Registry registry, Context<Registry> context) {
        String namespace = registry.getMetadata().getNamespace();
        var client = context.getClient();
        List<Pod> pods = client.pods().inNamespace(namespace).withLabels(FleetNames.selectorLabels(registry)).list().getItems();
        return ReplicaPods.of(pods, client.apps().deployments().inNamespace(namespace).withName(FleetNames.deployment(registry)).get());
    }

    private ReplicaOutcome outcome(Registry registry, Target target, ServerSnapshot primary, int pods, ReplicaPods held,
                                   int poolCap, Map<String, ReplicaSnapshot> seenBefore) {
        String address = target.address();
        DatabaseConnectionInfo replica = target.connection();
        var spec = registry.getSpec();
        int reserve = spec.database.reservedConnections == null ? 0 : spec.database.reservedConnections;
        try {
            ReplicaSnapshot seen = seenBefore.containsKey(address) ? seenBefore.get(address) : probe.replica(replica);
            seenBefore.put(address, seen);
            if (seen.isThePrimary(primary)) {
                return new ReplicaOutcome(address, replica.host(), State.NOT_A_REPLICA, null, "read replica " + replica.host()
                        + " is the primary itself (the same server, not in recovery): the pods do not use it");
            }
            String identity = seen.server().server().id();
            ReplicaShare got = ledger.claim(identity, seen.server(), held.claim(FleetNames.key(registry),
                    registry.getMetadata().getName(), address, reserve, pods, Math.min(poolCap, spec.connectionsPerPod.maximum))
                    .rebalancedIf(spec.rebalancingOrDefault().active(), heldNow(registry, address)));
            ReplicaBudget budget = got.budget();
            var share = new ReplicaOutcome.Shared(identity, got.counted(), got.othersExplained());
            String others = got.others().isEmpty() ? "" : "; other Registries on it: " + got.othersExplained();
            return budget.fits() ? new ReplicaOutcome(address, replica.host(), State.FITS, budget, "", share)
                    : new ReplicaOutcome(address, replica.host(), State.NO_ROOM, budget, "read replica " + replica.host()
                            + ": " + budget.explain() + others + ", less than one connection per pod: the pods do not use it", share);
        } catch (SQLException e) {
            LOG.infof("probe of read replica %s of %s/%s failed: %s", address, registry.getMetadata().getNamespace(),
                    registry.getMetadata().getName(), e.getMessage());
            String why = DatabaseProbeFailure.verdict(e, replica, Optional.ofNullable(spec.database.caSecret)).message();
            return new ReplicaOutcome(address, replica.host(), State.UNREACHABLE, recorded(registry, address, pods),
                    "read replica: " + why);
        }
    }

    /**
     * The budget its status last recorded, while the replica cannot be probed: the pods keep what they have there only
     * while every pod that can exist, at the recorded pool per pod, stays within what the Registry was counted at there
     * (its claim on the replica stands unchanged meanwhile); otherwise the pods stop using the replica until a probe
     * succeeds, since a smaller pool for more pods would roll out next to the old pods' larger ones. Null when nothing
     * was recorded.
     */
    private static ReplicaBudget recorded(Registry registry, String address, int pods) {
        return registry.recordedReadReplicas().stream().filter(s -> address.equals(s.replica) && s.available != null && s.serverMaxConnections != null)
                .findFirst()
                .map(s -> new ReplicaBudget(s.serverMaxConnections, nonNull(s.reserved), nonNull(s.heldByOthers),
                        nonNull(s.heldByRegistries), -1, s.available, pods,
                        (long) nonNull(s.perPodPool) * pods <= nonNull(s.counted) ? nonNull(s.perPodPool) : 0))
                .orElse(null);
    }

    /**
     * What the Registry's pods' pools on the replica add up to as its replica rebalancer last recorded them (each pod
     * at what it is counted at): a part that shrinks is not given up before the pods have been lowered into it.
     */
    private static int heldNow(Registry registry, String address) {
        return registry.recordedReadReplicas().stream().filter(s -> address.equals(s.replica) && s.allocations != null).findFirst()
                .map(s -> s.allocations.stream().mapToInt(a -> a.counted != null ? a.counted : nonNull(a.poolMaxSize)).sum())
                .orElse(0);
    }

    private static int nonNull(Integer value) {
        return value == null ? 0 : value;
    }
}
