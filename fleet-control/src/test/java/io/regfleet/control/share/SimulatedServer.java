package io.regfleet.control.share;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.plan.PlanRequest;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.MutableClock;
import io.regfleet.control.rebalance.PoolPolicy;
import io.regfleet.control.rebalance.Rebalancer;
import io.regfleet.control.rebalance.SimulatedFleet;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Several simulated fleets (each with its own rebalancer, as the operator runs one per Registry) on one server, shared
 * through a {@link ShareCoordinator}. After every allocation any pod applies it checks the server at that instant:
 * every pod's most held connections plus the floor of every slot that may still start a pod, over all fleets, against
 * what the server leaves the Registries (see {@link #check}).
 */
final class SimulatedServer {
    private static final Rebalancer.Settings FAST = new Rebalancer.Settings(Duration.ofMillis(4), Duration.ofMillis(1), Duration.ofSeconds(30));
    static final ServerIdentity SERVER = new ServerIdentity("7301234567890123456", "db.example:5432");

    /** One Registry on the server: its claim, its pods, its rebalancer reading its shares. */
    final class Member {
        final ShareClaim claim;
        final SimulatedFleet fleet = SimulatedFleet.checkedBy(raised -> check(this, raised));
        final Deque<Runnable> preempt = new ArrayDeque<>();
        SharedFleet shared;
        Rebalancer rebalancer;
        int load;

        Member(ShareClaim claim, int load) {
            this.claim = claim;
            this.load = load;
        }

        void join() {
            shared = coordinator.join(snapshot(), claim);
            // the rebalancer reads its limits, then (when a test says so) another fleet's round runs before it goes on
            rebalancer = new Rebalancer(claim.registry(), fleet, fleet, () -> {
                FleetLimits limits = shared.rebalancerLimits().get();
                Runnable other = preempt.poll();
                if (other != null) {
                    other.run();
                }
                return limits;
            }, new PoolPolicy(PoolPolicy.Tuning.DEFAULT), FAST, clock);
            rebalancer.addListener(shared);
        }

        boolean joined() {
            return shared != null;
        }

        /**
         * A rebalancer's round; a fleet without one is rolled out instead (as the operator does when its floor
         * changes): scaled to the plan's pods, every pod restarted at its floor, then its owner confirms what it holds.
         */
        void round() {
            if (claim.rebalanced()) {
                rebalancer.round();
                return;
            }
            FleetLimits limits = shared.plan().limits().orElse(null);
            int keep = limits == null ? 0 : limits.slots();
            while (fleet.pods.size() > keep) {
                fleet.pods.pollLastEntry(); // the Deployment scaled down to what the plan holds
            }
            for (SimulatedFleet.Pod pod : fleet.pods.values()) {
                fleet.restart(pod, limits.floor());
            }
            shared.confirm(exposure());
        }

        /** Like the operator's Deployment: pods start at the floor of the plan in force, as many as it has slots. */
        void startPods() {
            FleetLimits limits = shared.plan().limits().orElse(null);
            int desired = claim.plan().budget().desiredReplicas();
            while (limits != null && fleet.pods.size() < Math.min(desired, limits.slots())) {
                fleet.add(claim.registry() + "-" + fleet.pods.size(), limits.floor(), load);
            }
        }

        /** What this fleet can hold now: its pods' most, and the floor of every slot a pod may still start in. */
        long exposure() {
            if (!joined()) {
                return 0;
            }
            long pods = fleet.pods.values().stream().mapToLong(SimulatedFleet.Pod::mostHeld).sum();
            long empty = shared.plan().limits().map(l -> (long) l.floor() * Math.max(0, l.slots() - fleet.pods.size())).orElse(0L);
            return pods + empty;
        }
    }

    final MutableClock clock = new MutableClock();
    final ShareCoordinator coordinator = new ShareCoordinator(PoolPolicy.Tuning.DEFAULT, clock);
    final List<Member> members = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    final int maxConnections;
    final boolean limitMayFall;
    int foreign;

    SimulatedServer(int maxConnections, boolean limitMayFall) {
        this.maxConnections = maxConnections;
        this.limitMayFall = limitMayFall;
    }

    static ShareClaim claim(String name, int weight, int minimum, int replicas, int surge, int perPodMinimum,
                            int perPodMaximum, int floorPercent, boolean rebalanced) {
        BudgetRequest budget = new BudgetRequest(new DatabaseLimits(0, 0, 0, DatabaseLimits.UNLIMITED, 0, false), null, 0,
                replicas, surge, perPodMinimum, perPodMaximum, floorPercent);
        return new ShareClaim(name, name, weight, minimum, rebalanced,
                new PlanRequest(budget, 1, 64, PlanRequest.DEFAULT_WORKERS_PER_CONNECTION, OptionalInt.empty()));
    }

    Member add(ShareClaim claim, int load) {
        Member m = new Member(claim, load);
        members.add(m);
        return m;
    }

    ServerSnapshot snapshot() {
        return new ServerSnapshot(SERVER, new DatabaseLimits(maxConnections, 3, 0, DatabaseLimits.UNLIMITED, foreign, false), Map.of());
    }

    ServerShares shares() {
        return coordinator.servers().getFirst();
    }

    /** Connections outside every Registry come or go (only go, unless the limit may fall); the next probe tells. */
    void foreign(int connections) {
        foreign = limitMayFall ? Math.max(0, connections) : Math.min(foreign, connections);
        Member any = members.stream().filter(Member::joined).findFirst().orElse(null);
        if (any != null) {
            any.shared.update(snapshot(), any.claim, Duration.ofSeconds(45));
        }
    }

    /** Every joined fleet deploys what its plan allows. */
    void deploy() {
        members.stream().filter(Member::joined).forEach(Member::startPods);
    }

    private String describe() {
        StringBuilder b = new StringBuilder();
        for (Member m : members) {
            if (m.joined()) {
                b.append(m.claim.registry()).append(": pods ");
                m.fleet.pods.values().forEach(p -> b.append(p.mostHeld()).append(' '));
                b.append("plan ").append(m.shared.plan().limits().orElse(null)).append("; ");
            }
        }
        return b.toString();
    }

    long held() {
        return members.stream().mapToLong(Member::exposure).sum();
    }

    /**
     * After a pod's change: over what the server leaves the Registries is a violation when the server's limit never
     * fell ({@link #limitMayFall} false); when it may fall, a rebalancer that raises a pod while the server is over is.
     * (Without a rebalancer, a rollout to fewer pods may raise one pod's floor while the fleet's total falls.)
     */
    private void check(Member member, boolean raised) {
        if (coordinator.servers().isEmpty()) {
            return;
        }
        long held = held();
        int available = shares().available();
        if (held > available && (!limitMayFall || raised && member.claim.rebalanced())) {
            violations.add("held " + held + " > " + available + (raised ? " after a raise in " : " after a change in ")
                    + member.claim.registry() + "; shares " + shares().shares() + "; held " + describe());
        }
    }
}
