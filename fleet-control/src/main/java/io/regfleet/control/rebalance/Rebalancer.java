package io.regfleet.control.rebalance;

import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.PodUsage;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * One fleet's rebalancer. Each {@link #round()}: list the pods, read every agent's usage, share the budget by demand
 * ({@link PoolPolicy}, {@link WorkerPolicy}), then apply in two phases: lower the pods that lose share and wait until
 * their agents report the shrink done, and only then raise the others, each raise checked against
 * {@link BudgetInvariant} first. A pod that does not answer keeps its last known allocation counted; a pod no longer
 * listed stays counted until its termination grace period has passed.
 * The same code runs in the operator (Kubernetes discovery) and in a local fleet (a static list).
 */
public final class Rebalancer {
    private static final Logger LOG = Logger.getLogger(Rebalancer.class);

    /**
     * @param shrinkTimeout how long a round waits for shrinks to be reported done before raising what still fits
     * @param confirmPoll   how often it asks while waiting
     * @param goneGrace     how long a pod that is no longer listed stays counted (its termination grace period)
     */
    public record Settings(Duration shrinkTimeout, Duration confirmPoll, Duration goneGrace) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    private final String fleet;
    private final PodDiscovery discovery;
    private final PodAgentClient agents;
    private final Supplier<FleetLimits> limits;
    private final PoolPolicy policy;
    private final Settings settings;
    private final Clock clock;
    private final List<RebalanceListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, PodRecord> records = new TreeMap<>();
    private final Map<String, Integer> seeded = new TreeMap<>();
    private long lastGeneration;

    public Rebalancer(String fleet, PodDiscovery discovery, PodAgentClient agents, Supplier<FleetLimits> limits,
                      PoolPolicy policy, Settings settings, Clock clock) {
        this.fleet = fleet;
        this.discovery = discovery;
        this.agents = agents;
        this.limits = limits;
        this.policy = policy;
        this.settings = settings;
        this.clock = clock;
    }

    public void addListener(RebalanceListener listener) {
        listeners.add(listener);
    }

    /**
     * Last known allocations from before this rebalancer existed (the Registry's status after an operator restart):
     * a pod that never answers is counted at its seeded value instead of the per-pod maximum.
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
        for (PodRecord r : records.values()) {
            r.roundStart = r.applied;
            if (r.listed && r.reachable && r.usage != null) {
                r.demand = DemandEstimator.smooth(r.demand, DemandEstimator.raw(r.usage, r.previousUsage));
            }
        }
        Map<String, Integer> targets = policy.targets(budget, shares());
        Map<String, Integer> workers = workerTargets(budget, targets);
        int changes = shrink(targets, workers);
        if (changes > 0) {
            awaitShrinks();
        }
        int[] raised = raise(budget, targets, workers);
        RebalanceReport report = new RebalanceReport(now, budget, BudgetInvariant.committed(budget, shares()),
                records.values().stream().map(PodRecord::report).toList(), changes + raised[0], raised[1], raised[2]);
        if (report.committed() > budget.available()) {
            LOG.warnf("%s: %d connections counted, over the %d available: pods outside the rebalancer's control "
                    + "(silent or gone) hold them; shrinking what answers", fleet, report.committed(), budget.available());
        }
        for (RebalanceListener listener : listeners) {
            try {
                listener.rebalanced(report);
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s: a rebalance listener failed", fleet);
            }
        }
        return report;
    }

    private void list(List<FleetPod> pods, FleetLimits budget, Instant now) {
        Set<String> listedNow = new HashSet<>();
        for (FleetPod pod : pods) {
            listedNow.add(pod.name());
            PodRecord r = records.computeIfAbsent(pod.name(),
                    n -> new PodRecord(n, seeded.getOrDefault(n, budget.poolMaximum())));
            r.pod = pod;
            r.listed = true;
            r.lastListed = now;
        }
        records.values().removeIf(r -> !listedNow.contains(r.name)
                && r.lastListed.plus(settings.goneGrace()).isBefore(now));
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
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<PodUsage>> answers = new ArrayList<>();
            for (PodRecord r : listed) {
                answers.add(calls.submit(() -> agents.usage(r.pod)));
            }
            for (int i = 0; i < listed.size(); i++) {
                PodRecord r = listed.get(i);
                try {
                    PodUsage usage = answers.get(i).get();
                    r.reported(usage);
                    lastGeneration = Math.max(lastGeneration, usage.generation());
                } catch (Exception e) {
                    if (r.reachable) {
                        LOG.infof("%s: pod %s does not answer; %d connections stay counted: %s", fleet, r.name, r.counted,
                                rootMessage(e));
                    }
                    r.reachable = false;
                }
            }
        }
    }

    private List<PodShare> shares() {
        return records.values().stream().map(PodRecord::share).toList();
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

    /** Phase one: every pod that loses share is lowered; its old maximum stays counted until it reports the shrink. */
    private int shrink(Map<String, Integer> targets, Map<String, Integer> workers) {
        List<PodRecord> losing = records.values().stream()
                .filter(r -> r.listed && r.reachable && targets.get(r.name) < r.applied).toList();
        int applied = 0;
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<AllocationStatus>> answers = new ArrayList<>();
            for (PodRecord r : losing) {
                Allocation allocation = new Allocation(nextGeneration(), targets.get(r.name),
                        workers.getOrDefault(r.name, r.workers));
                answers.add(calls.submit(() -> agents.apply(r.pod, allocation)));
            }
            for (int i = 0; i < losing.size(); i++) {
                PodRecord r = losing.get(i);
                int from = r.counted;
                try {
                    AllocationStatus status = answers.get(i).get();
                    r.applied = status.poolMax();
                    r.workers = status.workers();
                    r.shrinkingFrom = status.shrinkComplete() ? 0 : from;
                    r.counted = status.shrinkComplete() ? Math.max(status.poolMax(), status.open()) : from;
                    applied++;
                } catch (Exception e) {
                    LOG.infof("%s: shrink of %s not acknowledged, still counted at %d: %s", fleet, r.name, from, rootMessage(e));
                }
            }
        }
        return applied;
    }

    /** Waits, up to the shrink timeout, until every pod that was lowered reports open connections within its maximum. */
    private void awaitShrinks() {
        long deadline = System.nanoTime() + settings.shrinkTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            List<PodRecord> pending = records.values().stream().filter(r -> r.shrinkingFrom > 0 && r.reachable).toList();
            if (pending.isEmpty()) {
                return;
            }
            sleep(settings.confirmPoll());
            for (PodRecord r : pending) {
                try {
                    r.reported(agents.usage(r.pod));
                } catch (IOException e) {
                    r.reachable = false;
                }
            }
        }
        records.values().stream().filter(r -> r.shrinkingFrom > 0).forEach(r ->
                LOG.infof("%s: %s still holds more than its new maximum %d after %s; counted at %d", fleet, r.name,
                        r.applied, settings.shrinkTimeout(), r.counted));
    }

    /**
     * Phase two: raises (largest first) and worker changes. Each raise is checked against the invariant with what is
     * counted now; one that does not fit waits for the next round.
     *
     * @return {applied, deferred, refused}
     */
    private int[] raise(FleetLimits budget, Map<String, Integer> targets, Map<String, Integer> workers) {
        int applied = 0;
        int deferred = 0;
        int refused = 0;
        boolean planFits = planFits(budget, targets);
        if (!planFits) {
            LOG.errorf("%s: BUG: the plan %s breaks the budget (%d available); its raises are refused", fleet, targets,
                    budget.available());
        }
        List<PodRecord> candidates = records.values().stream()
                .filter(r -> r.listed && r.reachable && r.shrinkingFrom == 0)
                .filter(r -> targets.get(r.name) > r.applied
                        || (targets.get(r.name) == r.applied && workers.containsKey(r.name) && workers.get(r.name) != r.workers))
                .sorted(Comparator.comparingInt((PodRecord r) -> targets.get(r.name) - r.applied).reversed())
                .toList();
        for (PodRecord r : candidates) {
            int target = targets.get(r.name);
            boolean raising = target > r.applied;
            if (raising && !planFits) {
                refused++;
                continue;
            }
            int before = r.counted;
            if (raising) {
                r.counted = Math.max(before, target);
                if (!BudgetInvariant.holds(budget, shares())) {
                    r.counted = before;
                    deferred++;
                    continue;
                }
            }
            try {
                AllocationStatus status = agents.apply(r.pod, new Allocation(nextGeneration(), target,
                        workers.getOrDefault(r.name, r.workers)));
                r.applied = status.poolMax();
                r.workers = status.workers();
                r.counted = Math.max(Math.max(status.poolMax(), status.open()), r.counted);
                applied++;
            } catch (IOException e) {
                // the pod may have applied it: it stays counted at the larger value until it reports
                LOG.infof("%s: raise of %s to %d not acknowledged: %s", fleet, r.name, target, rootMessage(e));
            }
        }
        return new int[]{applied, deferred, refused};
    }

    /** The plan, with every pod at the larger of its count and its target, fits the budget. */
    private boolean planFits(FleetLimits budget, Map<String, Integer> targets) {
        List<PodShare> planned = records.values().stream().map(PodRecord::share)
                .map(s -> new PodShare(s.name(), s.adjustable(), s.holdsSlot(), s.applied(),
                        s.adjustable() ? targets.get(s.name()) : s.counted(), s.demand()))
                .toList();
        return BudgetInvariant.holds(budget, planned);
    }

    private long nextGeneration() {
        lastGeneration = Math.max(lastGeneration + 1, clock.millis());
        return lastGeneration;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
