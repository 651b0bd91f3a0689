package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The connection budget as last computed from the live database. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BudgetStatus {
    @JsonPropertyDescription("max_connections of the server, or the spec's override.")
    public Integer serverMaxConnections;
    @JsonPropertyDescription("Connections held back: superuser_reserved_connections, reserved_connections, Aurora's automation, the spec's reserve and the operator's own (probe, migration Job, verify Job).")
    public Integer reserved;
    @JsonPropertyDescription("Connections held right now by clients outside this fleet.")
    public Integer heldByOthers;
    @JsonPropertyDescription("The role's CONNECTION LIMIT, when it has one, less the verify Job's connections (the Job logs in as the role).")
    public Integer roleConnectionLimit;
    @JsonPropertyDescription("Connections the fleet may hold in total.")
    public Integer available;
    @JsonPropertyDescription("Most pods that can exist at once: replicas (or the autoscaler's maximum) plus the rollout surge.")
    public Integer podsCounted;
    @JsonPropertyDescription("Rollout surge the operator set on the Deployment (counted in podsCounted).")
    public Integer maxSurge;
    @JsonPropertyDescription("Replicas (or autoscaler maximum) allowed by the budget.")
    public Integer maxReplicas;
    @JsonPropertyDescription("Starting pool maximum of every pod, and what every pod slot keeps: rebalancing.floorPercent of available / podsCounted, clamped to connectionsPerPod; the rest is shared by demand (see allocations).")
    public Integer perPodFloor;
    @JsonPropertyDescription("Starting worker limit of every pod.")
    public Integer workersPerPod;
    @JsonPropertyDescription("Sum of the floors of every pod that can exist (perPodFloor x podsCounted).")
    public Integer allocatedTotal;
}
