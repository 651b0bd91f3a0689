package io.regfleet.control.rebalance;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One fleet's rebalancer. Each {@link #round()}: list the pods, read every agent's usage, share the budget by demand
 * ({@link PoolPolicy}, {@link WorkerPolicy}), then apply in two phases ({@link AllocationPhases}): lower the pods that
 * lose share and wait until their agents report the shrink done, and only then raise the others, each raise checked
 * against {@link BudgetInvariant} first. A pod that does not answer keeps its last known allocation counted; a pod no
 * longer listed stays counted until its termination grace period has passed.
 * The same code runs in the operator (Kubernetes discovery) and in a local fleet (a static list), for the primary's
 * pools and, with {@link Settings#forReplica()} and a replica-scoped agent client, for each read replica's.
 */
public final class Rebalancer {
    private static final Logger LOG = Logger.getLogger(Rebalancer.class);

    /**
     * @param shrinkTimeout how long a round waits for shrinks to be reported done before raising what still fits
     * @param confirmPoll   how often it asks while waiting
     * @param goneGrace     how long a pod that is no longer listed stays counted (its termination grace period)
     * @param managesWorkers whether allocations also set the pods' worker limits ({@link WorkerPolicy}): the
     *                      primary's rebalancer does; a read replica's does not (the workers guard the primary)
     */
    public record Settings(Duration shrinkTimeout, Duration confirmPoll, Duration goneGrace, boolean managesWorkers) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(30));

        /** The primary's: pool maxima and worker limits. */
        public Settings(Duration shrinkTimeout, Duration confirmPoll, Duration goneGrace) {
            this(shrinkTimeout, confirmPoll, goneGrace, true);
        }

        /** The same for a read replica's pools: their maxima only, each pod's worker limit sent back as it is. */
        public Settings forReplica() {
            return new Settings(shrinkTimeout, confirmPoll, goneGrace, false);
        }
    }

    private final String fleet;
    private final PodDiscovery discovery;
    private final PodAgentClient agents;
    private final Supplier<FleetLimits> limits;
    private final PoolPolicy policy;
    private final Duration goneGrace;
    private final boolean managesWorkers;
    private final Clock clock;
    private final AllocationPhases phases;
    private final List<RebalanceListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, PodRecord> records = new TreeMap<>();
    private final Map<String, Integer> seeded = new TreeMap<>();

    public Rebalancer(String fleet, PodDiscovery discovery, PodAgentClient agents, Supplier<FleetLimits> limits,
                      PoolPolicy policy, Settings settings, Clock clock) {
        this.fleet = fleet;
        this.discovery = discovery;
        this.agents = agents;
        this.limits = limits;
        this.policy = policy;
        this.goneGrace = settings.goneGrace();
        this.managesWorkers = settings.managesWorkers();
        this.clock = clock;
        this.phases = new AllocationPhases(fleet, agents, settings, clock);
    }

    public void addListener(RebalanceListener listener) {
        listeners.add(listener);
    }

    /**
     * Last known allocations from before this rebalancer existed (the Registry's status after an operator restart):
     * a pod that never answers is counted at its seeded value instead of the per-pod ceiling.
     */
    public synchronized void seed(Map<String, Integer> lastKnownPoolMax) {
        seeded.putAll(lastKnownPoolMax);
    }

    /** One round; returns its report, or null when nothing could be done (no budget yet, discovery failed). */
    public synchronized RebalanceReport round() {
        FleetLimits budget = limits.get();
        if (budget == null) {
            return null;
        }
        List<FleetPod> pods;
        try {
            pods = discovery.pods();
        } catch (IOException e) {
            LOG.warnf("%s: cannot list pods, round skipped: %s", fleet, e.getMessage());
            return null;
        }
        Instant now = clock.instant();
        list(pods, budget, now);
        poll();
        estimateDemand();
        Map<String, Integer> targets = policy.targets(budget, PodRecord.shares(records.values()));
        Map<String, Integer> workers = managesWorkers ? workerTargets(budget, targets) : Map.of();
        int shrunk = phases.shrink(records.values(), targets, workers);
        if (shrunk > 0) {
            phases.awaitShrinks(records.values());
        }
        AllocationPhases.Raises raised = phases.raise(budget, records.values(), targets, workers);
        RebalanceReport report = new RebalanceReport(now, budget, BudgetInvariant.committed(budget, PodRecord.shares(records.values())),
                records.values().stream().map(PodRecord::report).toList(), shrunk + raised.applied(), raised.deferred(),
                raised.refused());
        if (report.committed() > budget.available()) {
            LOG.warnf("%s: %d connections counted, over the %d available: pods outside the rebalancer's control "
                    + "(silent or gone) hold them; shrinking what answers", fleet, report.committed(), budget.available());
        }
        tell(report);
        return report;
    }

    private void list(List<FleetPod> pods, FleetLimits budget, Instant now) {
        Set<String> listedNow = new HashSet<>();
        for (FleetPod pod : pods) {
            listedNow.add(pod.name());
            PodRecord r = records.computeIfAbsent(pod.name(),
                    n -> new PodRecord(n, seeded.getOrDefault(n, budget.poolCeiling())));
            r.pod = pod;
            r.listed = true;
            r.lastListed = now;
        }
        records.values().removeIf(r -> !listedNow.contains(r.name) && r.lastListed.plus(goneGrace).isBefore(now));
        for (PodRecord r : records.values()) {
            if (!listedNow.contains(r.name)) {
                r.listed = false;
                r.reachable = false;
            }
        }
    }

    /** Every listed pod's usage, asked in parallel; no answer leaves the pod counted as it was. */
    private void poll() {
        List<PodRecord> listed = records.values().stream().filter(r -> r.listed).toList();
        for (var answer : AgentCalls.inParallel(listed, r -> agents.usage(r.pod))) {
            PodRecord r = answer.pod();
            if (answer.answered()) {
                r.reported(answer.value());
                phases.observed(answer.value().generation());
            } else {
                if (r.reachable) {
                    LOG.infof("%s: pod %s does not answer; %d connections stay counted: %s", fleet, r.name, r.counted,
                            AgentCalls.rootMessage(answer.failure()));
                }
                r.reachable = false;
            }
        }
    }

    private void estimateDemand() {
        for (PodRecord r : records.values()) {
            r.roundStart = r.applied;
            if (r.listed && r.reachable && r.usage != null) {
                r.demand = DemandEstimator.smooth(r.demand, DemandEstimator.raw(r.usage, r.previousUsage));
            }
        }
    }

    private Map<String, Integer> workerTargets(FleetLimits budget, Map<String, Integer> pools) {
        Map<String, Integer> result = new TreeMap<>();
        for (PodRecord r : records.values()) {
            if (!r.listed || !r.reachable || r.pod.terminating()) {
                continue;
            }
            long shed = r.previousUsage == null ? 0 : Math.max(0, r.usage.shedTotal() - r.previousUsage.shedTotal());
            WorkerPolicy.Decision d = WorkerPolicy.next(budget, r.workers, pools.get(r.name), r.usage, shed, r.latencyBaseline);
            r.latencyBaseline = d.baselineP99Ms();
            result.put(r.name, d.workers());
        }
        return result;
    }

    private void tell(RebalanceReport report) {
        for (RebalanceListener listener : listeners) {
            try {
                listener.rebalanced(report);
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s: a rebalance listener failed", fleet);
            }
        }
    }
}
