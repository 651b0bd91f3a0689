package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The rebalancer's last round; written by the rebalancer only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RebalanceStatus {
    @JsonPropertyDescription("When the last recorded round ran (RFC 3339). Rounds that change nothing are recorded at most once a minute.")
    public String lastRoundTime;
    @JsonPropertyDescription("Connections counted after that round: every pod's count plus the floor of every empty slot.")
    public Long committed;
    @JsonPropertyDescription("Connections the fleet may hold.")
    public Integer available;
    @JsonPropertyDescription("committed/available, for display (kubectl's Budget column).")
    public String budget;
    @JsonPropertyDescription("Pods whose agent answered the last round / pods seen, for display (kubectl -o wide's Serving column).")
    public String serving;
    @JsonPropertyDescription("Pod slots without a pod, each reserved at the floor.")
    public Integer emptySlots;
    @JsonPropertyDescription("Allocation changes applied since the rebalancer first ran for this Registry.")
    public Long changesTotal;
    @JsonPropertyDescription("When an allocation last changed (RFC 3339).")
    public String lastChangeTime;
}
