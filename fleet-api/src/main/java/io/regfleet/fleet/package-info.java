/**
 * The pod agent's API, shared by the registry runtime (which serves it on its management port) and the operator
 * (which calls it): {@code GET /fleet/usage} answers {@link io.regfleet.fleet.PodUsage}; {@code PUT /fleet/allocation}
 * takes an {@link io.regfleet.fleet.Allocation} and answers an {@link io.regfleet.fleet.AllocationStatus};
 * {@code GET /fleet/collector} answers {@link io.regfleet.fleet.CollectorReport}. All need
 * {@code Authorization: Bearer <token>}.
 */
package io.regfleet.fleet;
