package io.regfleet.control.share;

import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.plan.FleetPlanner;
import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.RebalanceReport;

import java.time.Instant;

/** What a server's shares remember of one Registry. Only {@link ServerShares} touches it, under its lock. */
final class ShareRecord {
    ShareClaim claim;
    /** Granted: its pods' floors come out of this. */
    int guaranteed;
    /** Granted: what its rebalancer may commit. */
    int share;
    /** Where the policy wants it; granted already when lower, when it fits when higher. */
    int targetGuaranteed;
    int targetShare;
    /** The largest share handed to its rebalancer since its last report: a round in flight may raise up to it. */
    int issued;
    /** What its last report committed (or, for a fleet without a rebalancer, what its owner confirmed). */
    long committed;
    double demand = Double.NaN;
    /** When it is dropped after leaving (its pods drained); null while it is a member. */
    Instant leavingUntil;

    ShareRecord(ShareClaim claim) {
        this.claim = claim;
    }

    /** What the server counts for it: nothing it was given, nor any round in flight, can exceed this. */
    long counted() {
        return Math.max(Math.max(share, issued), committed);
    }

    boolean leaving() {
        return leavingUntil != null;
    }

    FleetPlan plan() {
        return FleetPlanner.plan(claim.plan(), guaranteed, share);
    }

    /** A rebalancer's round: what it committed bounds it from now on, with the share it will read next. */
    void reported(RebalanceReport report) {
        committed = report.committed();
        issued = 0;
        double wanted = (double) report.limits().floor() * report.emptySlots();
        for (PodReport pod : report.pods()) {
            boolean adjustable = switch (pod.state()) {
                case SERVING, SHRINKING -> true;
                default -> false;
            };
            wanted += adjustable ? (Double.isNaN(pod.demand()) ? pod.poolMax() : pod.demand()) : pod.counted();
        }
        demand = wanted;
    }

    SharePolicy.Member member() {
        return new SharePolicy.Member(claim.registry(), targetGuaranteed,
                claim.rebalanced() ? claim.ceiling() : targetGuaranteed, share, demand);
    }
}
