package io.regfleet.control.rebalance;

import java.net.URI;
import java.util.Objects;

/**
 * One registry pod as discovery sees it.
 *
 * @param name        unique within the fleet (the pod name, or a replica name in a local fleet)
 * @param agent       base address of its pod agent (the management port), e.g. {@code http://10.0.0.7:9000}
 * @param terminating the pod is being deleted: it no longer holds a slot, but its connections still count
 */
public record FleetPod(String name, URI agent, boolean terminating) {
    public FleetPod {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(agent, "agent");
    }
}
