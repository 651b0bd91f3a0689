package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One pod's share of the budget as the rebalancer last saw it; written by the rebalancer only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodAllocationStatus {
    @JsonPropertyDescription("Pod name.")
    public String pod;
    @JsonPropertyDescription("Serving, Shrinking (a shrink not yet confirmed), Silent (its agent does not answer), Terminating or Gone (counted until its termination grace period has passed).")
    public String state;
    @JsonPropertyDescription("The pool maximum the pod runs with.")
    public Integer poolMaxSize;
    @JsonPropertyDescription("Connections the budget counts for the pod (its pool maximum, its open connections, or a shrink in flight).")
    public Integer counted;
    @JsonPropertyDescription("The pod's worker limit.")
    public Integer workers;
    @JsonPropertyDescription("Connections the pod holds open to the database.")
    public Integer openConnections;
    @JsonPropertyDescription("Smoothed connections the pod wants; absent until its agent has answered.")
    public Double demand;
}
