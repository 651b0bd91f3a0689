package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** One read replica: its budget from its own live limits, and how the pods see it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReadReplicaStatus {
    @JsonPropertyDescription("The replica's host:port, as the spec names it.")
    public String replica;
    @JsonPropertyDescription("The replica's server as the operator knows it (its system_identifier and the address the spec names): Registries naming the same one share its budget.")
    public String identity;
    @JsonPropertyDescription("Fits (its pool is in the pods), NoRoom (not even one connection per pod: the pods do not use it) or Unreachable (the operator's probe failed: the last budget stands).")
    public String budgetState;
    @JsonPropertyDescription("max_connections of the replica.")
    public Integer serverMaxConnections;
    @JsonPropertyDescription("Connections held back on the replica: superuser_reserved_connections, reserved_connections, Aurora's automation, the spec's reserve and the operator's probe.")
    public Integer reserved;
    @JsonPropertyDescription("Connections held on the replica by clients outside every Registry sharing it.")
    public Integer heldByOthers;
    @JsonPropertyDescription("What the other Registries naming the replica are counted at: what their pods may hold there.")
    public Integer heldByRegistries;
    @JsonPropertyDescription("The other Registries naming the replica and what each is counted at, e.g. team-a/reg 18.")
    public String otherRegistries;
    @JsonPropertyDescription("What this Registry is counted at on the replica (what its pods, a rollout's old ones included, may hold there); a restarted operator counts it at this until it plans again.")
    public Integer counted;
    @JsonPropertyDescription("Connections this Registry's pods may hold on the replica in total.")
    public Integer available;
    @JsonPropertyDescription("Each pod's even part of the replica: available / podsCounted, at most connectionsPerPod.maximum. With rebalancing off, the pool maximum of each pod's pool on it.")
    public Integer perPodPool;
    @JsonPropertyDescription("With rebalancing on: the pool maximum each pod's pool on the replica starts with and every slot keeps (the primary's floor, lower when it does not fit every replica); the rest of what this Registry is counted at there is shared by demand.")
    public Integer floor;
    @JsonPropertyDescription("With rebalancing on: the largest pool maximum a pod may be given on the replica (connectionsPerPod.maximum, or what is left beside the other slots' floors).")
    public Integer poolCeiling;
    @JsonPropertyDescription("With rebalancing on: each pod's pool on the replica as its rebalancer last saw it, as status.allocations for the primary; a restarted operator counts a pod that does not answer at these.")
    public List<PodAllocationStatus> allocations;
    @JsonPropertyDescription("Most pods that can exist at once (replicas + surge), each with a pool on the replica.")
    public Integer podsCounted;
    @JsonPropertyDescription("Pods whose agents answered about this replica at the last poll.")
    public Integer reportingPods;
    @JsonPropertyDescription("Of those, the pods that send reads to it (the others have it quarantined).")
    public Integer servingPods;
    @JsonPropertyDescription("The largest replication lag a pod saw, in seconds.")
    public Double maxLagSeconds;
    @JsonPropertyDescription("Why pods have it quarantined (Lagging, Unreachable), when one does.")
    public String quarantineReason;
}
