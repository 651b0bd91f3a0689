package io.regfleet.operator.reconciler;

import io.regfleet.control.budget.ReplicaBudget;
import io.regfleet.fleet.ReplicaReport;
import io.regfleet.operator.api.v1alpha1.ReadReplicaStatus;
import io.regfleet.operator.replica.ReadReplicaPlan;
import io.regfleet.operator.replica.ReplicaOutcome;
import io.regfleet.operator.replica.ReplicaOutcome.State;
import io.regfleet.operator.replica.ReplicaSightings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.regfleet.operator.api.v1alpha1.RegistryConditions.FALSE;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.TRUE;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.UNKNOWN;

/**
 * status.readReplicas and the ReadReplicasReady condition: each replica's budget as this reconciliation planned it,
 * with what the pods' agents last said of it (this reconciliation's reports, else the ones status recorded).
 */
final class ReadReplicaStatuses {
    /** The ReadReplicasReady condition as decided. */
    record Verdict(String status, String reason, String message) {
    }

    private ReadReplicaStatuses() {
    }

    /**
     * @param previous  status.readReplicas as last written (the pods' figures stay when not read this time)
     * @param sightings the pods' reports read this time, by replica; empty when not read
     */
    static List<ReadReplicaStatus> of(ReadReplicaPlan plan, List<ReadReplicaStatus> previous,
                                      Optional<Map<String, ReplicaSightings>> sightings) {
        List<ReadReplicaStatus> statuses = new ArrayList<>();
        for (ReplicaOutcome r : plan.replicas()) {
            ReadReplicaStatus s = new ReadReplicaStatus();
            s.replica = r.replica();
            s.budgetState = r.state().label();
            ReplicaBudget b = r.budget();
            if (b != null) {
                s.serverMaxConnections = b.serverMaxConnections();
                s.reserved = b.reserved();
                s.heldByOthers = b.heldByOthers();
                s.available = b.available();
                s.perPodPool = b.perPodPool();
                s.podsCounted = b.podsCounted();
                s.heldByRegistries = b.heldByRegistries();
            }
            plan.limits(r.replica()).ifPresent(l -> {
                s.floor = l.floor();
                s.poolCeiling = l.poolCeiling();
                // the replica's rebalancer writes them; kept as last written until it writes again
                previousOf(previous, r.replica()).ifPresent(p -> s.allocations = p.allocations);
            });
            if (r.share() != null) {
                s.identity = r.share().identity();
                s.counted = r.share().counted();
                s.otherRegistries = r.share().others().isEmpty() ? null : r.share().others();
            } else {
                // not probed this time: what it was counted at stands (a restarted operator counts it at that)
                previousOf(previous, r.replica()).ifPresent(p -> {
                    s.identity = p.identity;
                    s.counted = p.counted;
                    s.otherRegistries = p.otherRegistries;
                });
            }
            if (sightings.isPresent()) {
                ReplicaSightings seen = sightings.get().get(r.replica());
                s.reportingPods = seen == null ? 0 : seen.reporting();
                s.servingPods = seen == null ? 0 : seen.serving();
                s.maxLagSeconds = seen == null ? null : seen.maxLagSeconds();
                s.quarantineReason = seen == null ? null : seen.quarantineReason();
            } else {
                previousOf(previous, r.replica()).ifPresent(p -> {
                    s.reportingPods = p.reportingPods;
                    s.servingPods = p.servingPods;
                    s.maxLagSeconds = p.maxLagSeconds;
                    s.quarantineReason = p.quarantineReason;
                });
            }
            statuses.add(s);
        }
        return statuses;
    }

    /** ReadReplicasReady: the operator's own findings first (a replica not served, or not probed), then the pods'. */
    static Verdict verdict(ReadReplicaPlan plan, List<ReadReplicaStatus> statuses) {
        List<String> problems = new ArrayList<>();
        String reason = null;
        for (ReplicaOutcome r : plan.replicas()) {
            if (r.state() != State.FITS) {
                problems.add(r.message());
                reason = reason != null ? reason : switch (r.state()) {
                    case NO_ROOM -> Reasons.NO_ROOM_ON_REPLICA;
                    case UNREACHABLE -> Reasons.REPLICA_UNREACHABLE;
                    case NOT_A_REPLICA -> Reasons.NOT_A_REPLICA;
                    case FITS -> throw new IllegalStateException();
                };
            }
        }
        List<ReplicaOutcome> served = plan.replicas().stream().filter(ReplicaOutcome::served).toList();
        boolean unreported = false;
        for (ReplicaOutcome r : served) {
            ReadReplicaStatus s = statuses.stream().filter(x -> r.replica().equals(x.replica)).findFirst().orElseThrow();
            if (s.reportingPods == null || s.reportingPods == 0) {
                unreported = true;
            } else if (s.quarantineReason != null) {
                boolean unreachable = ReplicaReport.UNREACHABLE.equals(s.quarantineReason);
                problems.add("%d of %d pods have read replica %s quarantined (%s%s)".formatted(s.reportingPods - s.servingPods,
                        s.reportingPods, r.host(), s.quarantineReason.toLowerCase(Locale.ROOT),
                        unreachable ? "" : ", lag up to %.1f s".formatted(Objects.requireNonNullElse(s.maxLagSeconds, 0.0))));
                reason = reason != null ? reason : unreachable ? Reasons.REPLICA_UNREACHABLE : Reasons.REPLICA_QUARANTINED;
            }
        }
        if (reason != null) {
            return new Verdict(FALSE, reason, String.join("; ", problems));
        }
        if (served.isEmpty()) {
            return new Verdict(UNKNOWN, Reasons.REPLICAS_NOT_REPORTED, "no pod is planned yet");
        }
        if (unreported) {
            return new Verdict(UNKNOWN, Reasons.REPLICAS_NOT_REPORTED, "no pod has reported on the read replicas yet");
        }
        return new Verdict(TRUE, Reasons.REPLICAS_SERVING, "every pod reads from " + served.stream().map(ReplicaOutcome::host)
                .collect(Collectors.joining(", ")) + " (lag up to %.1f s)".formatted(statuses.stream()
                .map(s -> s.maxLagSeconds).filter(Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(0)));
    }

    private static Optional<ReadReplicaStatus> previousOf(List<ReadReplicaStatus> previous, String replica) {
        return previous == null ? Optional.empty() : previous.stream().filter(p -> replica.equals(p.replica)).findFirst();
    }
}
