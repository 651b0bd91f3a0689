package io.regfleet.operator.rebalance;

import io.regfleet.control.rebalance.FleetPod;
import io.regfleet.control.rebalance.PodAgentClient;
import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.PodUsage;

import java.io.IOException;

/** A pod agent client whose token is read again after any failed call; a token that cannot be read is no answer. */
record TokenRefreshingAgentClient(PodAgentClient delegate, AgentToken token) implements PodAgentClient {

    @Override
    public PodUsage usage(FleetPod pod) throws IOException {
        ensureToken();
        try {
            return delegate.usage(pod);
        } catch (IOException e) {
            token.invalidate();
            throw e;
        }
    }

    @Override
    public AllocationStatus apply(FleetPod pod, Allocation allocation) throws IOException {
        ensureToken();
        try {
            return delegate.apply(pod, allocation);
        } catch (IOException e) {
            token.invalidate();
            throw e;
        }
    }

    private void ensureToken() throws IOException {
        try {
            token.get();
        } catch (RuntimeException e) {
            throw new IOException("no agent token: " + e.getMessage(), e);
        }
    }
}
