package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * This Registry's part of its database server, shared with the other Registries on it. Recorded before the operator
 * lets the pods hold more: a restarted operator counts the Registry at counted + reserve until it reports again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShareStatus {
    @JsonPropertyDescription("The server's system identifier (or address: and its address where the role may not read it): Registries with the same one share its max_connections.")
    public String server;
    @JsonPropertyDescription("Fits, Capped, Pending, NoRoom or Leaving.")
    public String state;
    @JsonPropertyDescription("spec.database.share.weight as the server counts it.")
    public Integer weight;
    @JsonPropertyDescription("Its guaranteed connections: its pods' floors come out of them.")
    public Integer guaranteed;
    @JsonPropertyDescription("What its rebalancer may commit now: the guaranteed part plus the spare the server gave it by demand.")
    public Integer share;
    @JsonPropertyDescription("What its pods may hold as the server counts them (at least the share; more while a lowered share is not yet released).")
    public Long counted;
    @JsonPropertyDescription("Connections kept for it besides its pods: the operator's probe, the migration Job and spec.database.reservedConnections.")
    public Integer reserve;
    @JsonPropertyDescription("What the server leaves all the Registries on it together, their reserves included.")
    public Integer available;
    @JsonPropertyDescription("Registries sharing the server, this one included.")
    public Integer registries;
}
