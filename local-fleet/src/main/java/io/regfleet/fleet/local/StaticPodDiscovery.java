package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.FleetPod;
import io.regfleet.control.rebalance.PodDiscovery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fixed list of pods that can grow or shrink while the rebalancer runs (a local fleet scaling). */
public final class StaticPodDiscovery implements PodDiscovery {
    private final List<FleetPod> pods = new CopyOnWriteArrayList<>();

    public StaticPodDiscovery(List<FleetPod> initial) {
        pods.addAll(initial);
    }

    public void add(FleetPod pod) {
        pods.removeIf(p -> p.name().equals(pod.name()));
        pods.add(pod);
    }

    public void remove(String name) {
        pods.removeIf(p -> p.name().equals(name));
    }

    @Override
    public List<FleetPod> pods() {
        return List.copyOf(pods);
    }
}
