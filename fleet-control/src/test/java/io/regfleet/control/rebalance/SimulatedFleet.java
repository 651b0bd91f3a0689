package io.regfleet.control.rebalance;

import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.PodUsage;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pods simulated in memory for the rebalancer's protocol tests (the real agents run in the e2e suite). Each pod wants
 * {@code load} connections; {@code stuck} connections held by long work stay open, even over a lowered maximum, for
 * {@code drainLeft} more polls. After every change it checks the budget at that instant: the sum over pods of the most each can hold.
 */
public final class SimulatedFleet implements PodAgentClient, PodDiscovery {
    public static final class Pod {
        final String name;
        int poolMax;
        int workers = 8;
        long generation;
        public int load;
        int open;
        public int drainLeft;
        /** Connections held by long work: they stay open over a lowered maximum until drained. */
        public int stuck;
        public boolean answering = true;
        boolean listed = true;

        Pod(String name, int poolMax) {
            this.name = name;
            this.poolMax = poolMax;
        }

        public int mostHeld() {
            return Math.max(poolMax, open);
        }
    }

    public final TreeMap<String, Pod> pods = new TreeMap<>();
    final List<String> violations = new ArrayList<>();
    int slots;
    int floor;
    int available;
    /** Told after every allocation a pod applied, with whether it raised the pod's maximum: a check of the budget. */
    private RaiseCheck afterChange = raised -> checkBudget();

    /** A budget check after a change; {@code raised}: the change made a pod able to hold more. */
    @FunctionalInterface
    public interface RaiseCheck {
        void changed(boolean raised);
    }

    SimulatedFleet(int available, int slots, int floor) {
        this.available = available;
        this.slots = slots;
        this.floor = floor;
    }

    /** Pods checked by someone else (a server shared with other fleets) instead of this fleet's own budget. */
    public static SimulatedFleet checkedBy(RaiseCheck check) {
        SimulatedFleet fleet = new SimulatedFleet(0, 0, 0);
        fleet.afterChange = check;
        return fleet;
    }

    /** Adds pods in one go: {@code with("a", 6, 30)} is pod a at pool maximum 6 wanting 30 connections. */
    SimulatedFleet with(String name, int poolMax, int load) {
        add(name, poolMax, load);
        return this;
    }

    public Pod add(String name, int poolMax, int load) {
        Pod pod = new Pod(name, poolMax);
        pod.load = load;
        pod.open = Math.min(load, poolMax);
        pods.put(name, pod);
        return pod;
    }

    /** The pod restarts with another maximum from its configuration (a rollout): it reopens what it needs. */
    public void restart(Pod pod, int poolMax) {
        boolean raised = poolMax > pod.poolMax;
        pod.poolMax = poolMax;
        pod.stuck = 0;
        pod.open = Math.min(pod.load, poolMax);
        afterChange.changed(raised);
    }

    @Override
    public List<FleetPod> pods() {
        return pods.values().stream().filter(p -> p.listed).map(p -> new FleetPod(p.name, URI.create("http://" + p.name), false)).toList();
    }

    private Pod answering(FleetPod fleetPod) throws IOException {
        Pod pod = pods.get(fleetPod.name());
        if (pod == null || !pod.answering) {
            throw new IOException(fleetPod.name() + " does not answer");
        }
        return pod;
    }

    @Override
    public synchronized PodUsage usage(FleetPod fleetPod) throws IOException {
        Pod pod = answering(fleetPod);
        if (pod.drainLeft > 0) {
            pod.drainLeft--;
        } else {
            pod.stuck = 0;
        }
        pod.open = Math.max(Math.min(pod.load, pod.poolMax), pod.stuck);
        int active = Math.min(pod.load, Math.max(pod.open, pod.poolMax));
        int awaiting = Math.max(0, pod.load - pod.poolMax);
        return new PodUsage(pod.generation, pod.poolMax, pod.open, Math.min(active, pod.open), Math.max(0, pod.open - active), awaiting,
                Math.min(pod.load, pod.poolMax), Math.min(pod.load, pod.poolMax), 10, 0, 0, 0, 0, pod.workers, active, 10, 0.2, 2, 0, 1);
    }

    @Override
    public synchronized AllocationStatus apply(FleetPod fleetPod, Allocation allocation) throws IOException {
        Pod pod = answering(fleetPod);
        if (allocation.generation() < pod.generation) {
            return new AllocationStatus(pod.generation, pod.poolMax, pod.workers, pod.open, true);
        }
        if (allocation.poolMax() < pod.open && pod.stuck == 0) {
            pod.open = allocation.poolMax(); // idle connections are closed at once
        }
        boolean raised = allocation.poolMax() > pod.poolMax;
        pod.poolMax = allocation.poolMax();
        pod.workers = allocation.workers();
        pod.generation = allocation.generation();
        afterChange.changed(raised);
        return new AllocationStatus(pod.generation, pod.poolMax, pod.workers, pod.open, false);
    }

    void checkBudget() {
        int holding = (int) pods.values().stream().filter(p -> p.listed).count();
        long held = pods.values().stream().mapToLong(Pod::mostHeld).sum() + (long) floor * Math.max(0, slots - holding);
        if (held > available) {
            violations.add(held + " > " + available + " " + pods.values().stream().map(p -> p.name + "=" + p.mostHeld()).toList());
        }
    }

    FleetLimits limits(int poolMaximum) {
        return new FleetLimits(available, slots, floor, poolMaximum, 4, 64);
    }
}
