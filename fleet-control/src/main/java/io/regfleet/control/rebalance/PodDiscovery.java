package io.regfleet.control.rebalance;

import java.io.IOException;
import java.util.List;

/**
 * Where the fleet's pods are: the Kubernetes API in a cluster, a static list of addresses in a local fleet. A pod
 * missing from the answer is gone; its connections stay counted for the termination grace period.
 */
public interface PodDiscovery {
    /** @throws IOException when the pods cannot be listed now: the round is skipped and nothing changes */
    List<FleetPod> pods() throws IOException;
}
