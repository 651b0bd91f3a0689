package io.regfleet.control.rebalance;

import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.PodUsage;

import java.io.IOException;

/** Calls a pod's agent ({@link io.regfleet.fleet.FleetApi}). An exception means no answer: nothing is known. */
public interface PodAgentClient {
    PodUsage usage(FleetPod pod) throws IOException;

    AllocationStatus apply(FleetPod pod, Allocation allocation) throws IOException;
}
