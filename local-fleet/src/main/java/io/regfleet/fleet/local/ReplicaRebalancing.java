package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.Rebalancer;

/**
 * A fleet's rebalancer on one read replica and what it shares out there.
 *
 * @param limits the fleet's part of the standby, the floor every replica's pool there starts at, and the ceiling
 */
public record ReplicaRebalancing(FleetLimits limits, Rebalancer rebalancer) {
}
