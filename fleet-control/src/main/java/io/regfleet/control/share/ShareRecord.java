package io.regfleet.control.share;

import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.plan.FleetPlanner;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.PodState;
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
    /** Ever granted a share: its reserve (probe, migration Job, spec) is in use from then on. */
    boolean admitted;
    /** The largest share handed to its rebalancer since its last report: a round in flight may raise up to it. */
    int issued;
    /** What its last report committed (or, for a fleet without a rebalancer, the most its owner may hold). */
    long reported;
    /** From its last report: what its pods were counted at, and how many of them held a slot. */
    long podsCounted;
    int podsHolding;
    /** The most any plan in force since its last report let its pods hold (pods start at a plan's floor unasked). */
    long exposed;
    double demand = Double.NaN;
    /** When it is dropped after leaving (its pods drained); null while it is a member. */
    Instant leavingUntil;

    ShareRecord(ShareClaim claim) {
        this.claim = claim;
    }

    /** What the server counts for it: nothing it was given, nor any round in flight, nor a pod starting, can exceed this. */
    long counted() {
        return (admitted ? claim.reserve() : 0) + held();
    }

    /** {@link #counted()} less its reserve: what its pods may hold. */
    long held() {
        return Math.max(Math.max(share, issued), Math.max(Math.max(reported, exposed), exposure(plan())));
    }

    /** Its plan changed: pods may start at the new plan's floor from now on, whatever comes after. */
    void planInForce() {
        exposed = Math.max(exposed, exposure(plan()));
    }

    /**
     * What its pods may hold under a plan without asking anyone: what they were last counted at, and a pod starting at
     * the plan's floor in every slot none holds (a plan with more slots or a higher floor exposes more).
     */
    long exposure(FleetPlan plan) {
        FleetLimits limits = plan.limits().orElse(null);
        return podsCounted + (limits == null ? 0 : (long) limits.floor() * Math.max(0, limits.slots() - podsHolding));
    }

    boolean leaving() {
        return leavingUntil != null;
    }

    FleetPlan plan() {
        return FleetPlanner.plan(claim.plan(), guaranteed, share);
    }

    /** A rebalancer's round: what it committed bounds it from now on, with the share it will read next. */
    void reported(RebalanceReport report) {
        reported = report.committed();
        issued = 0;
        podsCounted = 0;
        podsHolding = 0;
        double wanted = (double) report.limits().floor() * report.emptySlots();
        for (PodReport pod : report.pods()) {
            podsCounted += pod.counted();
            boolean slot = pod.state() != PodState.TERMINATING && pod.state() != PodState.GONE;
            podsHolding += slot ? 1 : 0;
            boolean adjustable = pod.state() == PodState.SERVING || pod.state() == PodState.SHRINKING;
            wanted += adjustable ? (Double.isNaN(pod.demand()) ? pod.poolMax() : pod.demand()) : pod.counted();
        }
        demand = wanted;
        exposed = exposure(plan());
    }

    /**
     * It joins again after its owner restarted, which recorded it at {@code counted} (its reserve included): its pods
     * may hold that much until its rebalancer reports (or its owner confirms) what they hold.
     */
    void rejoined(long counted) {
        admitted = counted > 0;
        confirmed(Math.max(0, counted - claim.reserve()));
    }

    /** Its owner (a fleet without a rebalancer) says its pods hold no more than this now. */
    void confirmed(long committed) {
        reported = committed;
        podsCounted = committed;
        podsHolding = Integer.MAX_VALUE; // every pod is in what it confirmed
        issued = 0;
        exposed = committed;
    }

    SharePolicy.Member member() {
        return new SharePolicy.Member(claim.registry(), targetGuaranteed,
                claim.rebalanced() ? claim.ceiling() : targetGuaranteed, share, demand);
    }
}
