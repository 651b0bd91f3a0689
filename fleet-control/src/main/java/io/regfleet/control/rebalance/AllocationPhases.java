package io.regfleet.control.rebalance;

import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * How a round's targets reach the pods, in two phases: lower every pod that loses share and wait until its agent
 * reports the shrink done, then raise the others, each raise checked against {@link BudgetInvariant} first.
 * Generations only grow, across rounds and restarts of the rebalancer (they start from the clock).
 */
final class AllocationPhases {
    private static final Logger LOG = Logger.getLogger(AllocationPhases.class);

    /** What phase two did: raises applied, deferred (did not fit yet) and refused (the plan itself was wrong). */
    record Raises(int applied, int deferred, int refused) {
    }

    private final String fleet;
    private final PodAgentClient agents;
    private final Rebalancer.Settings settings;
    private final Clock clock;
    private long lastGeneration;

    AllocationPhases(String fleet, PodAgentClient agents, Rebalancer.Settings settings, Clock clock) {
        this.fleet = fleet;
        this.agents = agents;
        this.settings = settings;
        this.clock = clock;
    }

    /** A generation a pod reported: the next allocation must be newer. */
    void observed(long generation) {
        lastGeneration = Math.max(lastGeneration, generation);
    }

    /** Phase one: every pod that loses share is lowered; its old maximum stays counted until it reports the shrink. */
    int shrink(Collection<PodRecord> records, Map<String, Integer> targets, Map<String, Integer> workers) {
        List<PodRecord> losing = records.stream()
                .filter(r -> r.listed && r.reachable && targets.get(r.name) < r.applied).toList();
        Map<String, Allocation> allocations = new HashMap<>();
        for (PodRecord r : losing) {
            allocations.put(r.name, new Allocation(nextGeneration(), targets.get(r.name), workers.getOrDefault(r.name, r.workers)));
        }
        int applied = 0;
        for (var answer : AgentCalls.inParallel(losing, r -> agents.apply(r.pod, allocations.get(r.name)))) {
            PodRecord r = answer.pod();
            int from = r.counted;
            if (!answer.answered()) {
                LOG.infof("%s: shrink of %s not acknowledged, still counted at %d: %s", fleet, r.name, from,
                        AgentCalls.rootMessage(answer.failure()));
                continue;
            }
            AllocationStatus status = answer.value();
            r.applied = status.poolMax();
            r.workers = status.workers();
            r.shrinkingFrom = status.shrinkComplete() ? 0 : from;
            r.counted = status.shrinkComplete() ? Math.max(status.poolMax(), status.open()) : from;
            applied++;
        }
        return applied;
    }

    /** Waits, up to the shrink timeout, until every pod that was lowered reports open connections within its maximum. */
    void awaitShrinks(Collection<PodRecord> records) {
        long deadline = System.nanoTime() + settings.shrinkTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            List<PodRecord> pending = records.stream().filter(r -> r.shrinkingFrom > 0 && r.reachable).toList();
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
        records.stream().filter(r -> r.shrinkingFrom > 0).forEach(r ->
                LOG.infof("%s: %s still holds more than its new maximum %d after %s; counted at %d", fleet, r.name,
                        r.applied, settings.shrinkTimeout(), r.counted));
    }

    /**
     * Phase two: raises (largest first) and worker changes. Each raise is checked against the invariant with what is
     * counted now; one that does not fit waits for the next round.
     */
    Raises raise(FleetLimits budget, Collection<PodRecord> records, Map<String, Integer> targets, Map<String, Integer> workers) {
        int applied = 0;
        int deferred = 0;
        int refused = 0;
        // silent pods over the budget on their own make every raise wait (deferred below); that is not a bad plan
        boolean planBroken = !planFits(budget, records, targets) && leftRoomForPlan(budget, records);
        if (planBroken) {
            LOG.errorf("%s: BUG: the plan %s breaks the budget (%d available); its raises are refused", fleet, targets,
                    budget.available());
        }
        List<PodRecord> candidates = records.stream()
                .filter(r -> r.listed && r.reachable && r.shrinkingFrom == 0)
                .filter(r -> targets.get(r.name) > r.applied
                        || (targets.get(r.name) == r.applied && workers.containsKey(r.name) && workers.get(r.name) != r.workers))
                .sorted(Comparator.comparingInt((PodRecord r) -> targets.get(r.name) - r.applied).reversed())
                .toList();
        for (PodRecord r : candidates) {
            int target = targets.get(r.name);
            boolean raising = target > r.applied;
            if (raising && planBroken) {
                refused++;
                continue;
            }
            int before = r.counted;
            if (raising) {
                r.counted = Math.max(before, target);
                if (!BudgetInvariant.holds(budget, PodRecord.shares(records))) {
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
                LOG.infof("%s: raise of %s to %d not acknowledged: %s", fleet, r.name, target, AgentCalls.rootMessage(e));
            }
        }
        return new Raises(applied, deferred, refused);
    }

    /** The plan, with every pod at the larger of its count and its target, fits the budget. */
    private static boolean planFits(FleetLimits budget, Collection<PodRecord> records, Map<String, Integer> targets) {
        return holdsCounting(budget, records, s -> s.adjustable() ? targets.get(s.name()) : s.counted());
    }

    /**
     * The pods that did not answer, the draining ones and the empty slots leave at least one connection for each pod
     * that can change: only then does {@link PoolPolicy} promise a plan that fits, and a plan that does not is a bug.
     * Otherwise the silent pods are over the budget on their own (counted at the ceiling, say) and round() says so.
     */
    private static boolean leftRoomForPlan(FleetLimits budget, Collection<PodRecord> records) {
        return holdsCounting(budget, records, s -> leanest(s, budget));
    }

    /** {@link BudgetInvariant#holds} with each pod counted at {@code counted} of its share. */
    private static boolean holdsCounting(FleetLimits budget, Collection<PodRecord> records,
                                         ToIntFunction<PodShare> counted) {
        List<PodShare> shares = PodRecord.shares(records).stream()
                .map(s -> new PodShare(s.name(), s.adjustable(), s.holdsSlot(), s.applied(), counted.applyAsInt(s), s.demand()))
                .toList();
        return BudgetInvariant.holds(budget, shares);
    }

    /** The least the policy can give a pod: a silent one keeps its count, a draining one the floor, any other one. */
    private static int leanest(PodShare s, FleetLimits budget) {
        if (!s.adjustable()) {
            return s.counted();
        }
        return s.holdsSlot() ? 1 : Math.min(s.applied(), budget.floor());
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
}
