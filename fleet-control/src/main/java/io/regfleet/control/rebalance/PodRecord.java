package io.regfleet.control.rebalance;

import io.regfleet.fleet.PodUsage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** What the rebalancer remembers of one pod between rounds. Only the rebalancer's round touches it. */
final class PodRecord {
    final String name;
    FleetPod pod;
    Instant lastListed;
    boolean listed;
    boolean reachable;
    PodUsage usage;
    PodUsage previousUsage;
    /** The pool maximum the pod runs with. */
    int applied;
    /** {@link #applied} when this round began, after the agent answered. */
    int roundStart;
    int workers;
    /** What the budget counts for the pod. */
    int counted;
    /** While a shrink is unconfirmed, the maximum it came from (counted until the agent reports the shrink done). */
    int shrinkingFrom;
    double demand = Double.NaN;
    double latencyBaseline = Double.NaN;

    PodRecord(String name, int counted) {
        this.name = name;
        this.applied = counted;
        this.counted = counted;
    }

    /** Takes an answer of the agent: the pod's own report is the truth of what it runs with. */
    void reported(PodUsage now) {
        previousUsage = usage;
        usage = now;
        reachable = true;
        applied = now.appliedPoolMax();
        workers = now.workers();
        // a shrink is done when the pod holds no more than its new maximum (or it was restarted or raised again)
        if (shrinkingFrom > 0 && (now.open() <= now.appliedPoolMax() || now.appliedPoolMax() >= shrinkingFrom)) {
            shrinkingFrom = 0;
        }
        counted = Math.max(Math.max(applied, now.open()), shrinkingFrom);
    }

    PodState state() {
        if (!listed) {
            return PodState.GONE;
        }
        if (pod.terminating()) {
            return PodState.TERMINATING;
        }
        if (!reachable) {
            return PodState.SILENT;
        }
        return shrinkingFrom > 0 ? PodState.SHRINKING : PodState.SERVING;
    }

    PodShare share() {
        return new PodShare(name, listed && reachable, listed && !pod.terminating(), applied, counted,
                Double.isNaN(demand) ? 0 : demand);
    }

    static List<PodShare> shares(Collection<PodRecord> records) {
        return records.stream().map(PodRecord::share).toList();
    }

    PodReport report() {
        return new PodReport(name, state(), applied, roundStart, counted, workers, usage == null ? 0 : usage.open(),
                usage == null ? 0 : usage.active(), demand, usage == null || !reachable ? 0 : usage.requestsPerSecond());
    }
}
