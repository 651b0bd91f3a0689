package io.regfleet.operator.reconciler;

import io.regfleet.control.budget.ReplicaBudget;
import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.probe.ReplicaSnapshot;
import io.regfleet.control.probe.ServerProbe;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.operator.api.v1alpha1.DatabaseSpec;
import io.regfleet.operator.api.v1alpha1.ReadReplicaSpec;
import io.regfleet.operator.api.v1alpha1.ReadReplicaStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.replica.ReadReplicaPlan;
import io.regfleet.operator.replica.ReplicaOutcome;
import io.regfleet.operator.replica.ReplicaOutcome.State;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Each read replica's budget from its own live limits, probed as the primary is (its connection details, its TLS,
 * another host and port). Kept out of the primary's shares: a standby has its primary's system_identifier, and its
 * connections are not the primary's. A replica the probe cannot reach keeps the budget its status last recorded, so
 * a replica's outage does not roll the pods (they quarantine it themselves).
 */
@ApplicationScoped
class ReplicaCheck {
    private static final Logger LOG = Logger.getLogger(ReplicaCheck.class);

    private final ServerProbe probe;

    ReplicaCheck(ServerProbe probe) {
        this.probe = probe;
    }

    /**
     * @param primary     how the primary was reached (the replicas share its database, credentials and TLS)
     * @param server      what the probe saw of the primary
     * @param podsCounted the pods that can exist at once, each with a pool on every replica
     */
    ReadReplicaPlan plan(Registry registry, DatabaseConnectionInfo primary, ServerSnapshot server, int podsCounted) {
        DatabaseSpec spec = registry.getSpec().database;
        if (spec.readReplicasOrNone().isEmpty()) {
            return ReadReplicaPlan.NONE;
        }
        Set<String> addresses = new LinkedHashSet<>();
        List<ReplicaOutcome> outcomes = new ArrayList<>();
        for (ReadReplicaSpec r : spec.readReplicasOrNone()) {
            int port = r.port == null ? primary.port() : r.port;
            if (addresses.add(r.host + ":" + port)) { // one with and one without the primary's port are one replica
                outcomes.add(outcome(registry, new DatabaseConnectionInfo(r.host, port, primary.database(), primary.user(),
                        primary.password(), primary.sslMode(), primary.sslRootCert()), server, podsCounted));
            }
        }
        return new ReadReplicaPlan(outcomes, spec.replicaMaxLagOrDefault());
    }

    private ReplicaOutcome outcome(Registry registry, DatabaseConnectionInfo replica, ServerSnapshot primary, int pods) {
        String address = replica.host() + ":" + replica.port();
        var spec = registry.getSpec();
        int reserve = spec.database.reservedConnections == null ? 0 : spec.database.reservedConnections;
        try {
            ReplicaSnapshot seen = probe.replica(replica);
            if (seen.isThePrimary(primary)) {
                return new ReplicaOutcome(address, replica.host(), State.NOT_A_REPLICA, null, "read replica " + replica.host()
                        + " is the primary itself (the same server, not in recovery): the pods do not use it");
            }
            ReplicaBudget budget = ReplicaBudget.compute(seen.server().limitsOutside(Set.of(registry.getMetadata().getName())),
                    reserve, pods, spec.connectionsPerPod.maximum);
            return budget.fits() ? new ReplicaOutcome(address, replica.host(), State.FITS, budget, "")
                    : new ReplicaOutcome(address, replica.host(), State.NO_ROOM, budget, "read replica " + replica.host()
                            + ": " + budget.explain() + ", less than one connection per pod: the pods do not use it");
        } catch (SQLException e) {
            LOG.infof("probe of read replica %s of %s/%s failed: %s", address, registry.getMetadata().getNamespace(),
                    registry.getMetadata().getName(), e.getMessage());
            String why = DatabaseProbeFailure.verdict(e, replica, Optional.ofNullable(spec.database.caSecret)).message();
            return new ReplicaOutcome(address, replica.host(), State.UNREACHABLE, recorded(registry, address, pods, spec.connectionsPerPod.maximum),
                    "read replica: " + why);
        }
    }

    /** The budget its status last recorded, split again for the pods that can exist now; null when none was. */
    private static ReplicaBudget recorded(Registry registry, String address, int pods, int perPodMaximum) {
        List<ReadReplicaStatus> last = registry.getStatus() == null || registry.getStatus().readReplicas == null ? List.of()
                : registry.getStatus().readReplicas;
        return last.stream().filter(s -> address.equals(s.replica) && s.available != null && s.serverMaxConnections != null)
                .findFirst()
                .map(s -> new ReplicaBudget(s.serverMaxConnections, nonNull(s.reserved), nonNull(s.heldByOthers), -1, s.available,
                        pods, pods == 0 ? 0 : Math.min(perPodMaximum, s.available / pods)))
                .orElse(null);
    }

    private static int nonNull(Integer value) {
        return value == null ? 0 : value;
    }
}
