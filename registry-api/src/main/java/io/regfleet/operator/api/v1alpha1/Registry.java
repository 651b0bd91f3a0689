package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.List;
import java.util.Objects;

/** A fleet of OCI registry pods on one PostgreSQL database, kept inside that database's connection budget. */
@Group(Registry.GROUP)
@Version(Registry.VERSION)
@ShortNames("reg")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
// Budget: what the rebalancer counts of what the fleet may hold; Rebalanced: the age of its last recorded round
@AdditionalPrinterColumn(name = "Budget", jsonPath = ".status.rebalance.budget", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Rebalanced", jsonPath = ".status.rebalance.lastRoundTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// -o wide: is it healthy? pods answering the rebalancer, the database and schema, and why Ready is what it is
@AdditionalPrinterColumn(name = "Serving", jsonPath = ".status.rebalance.serving", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Database", jsonPath = ".status.conditions[?(@.type==\"DatabaseReady\")].reason",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Schema", jsonPath = ".status.conditions[?(@.type==\"SchemaReady\")].reason",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class Registry extends CustomResource<RegistrySpec, RegistryStatus> implements Namespaced {
    public static final String GROUP = "regfleet.io";
    public static final String VERSION = "v1alpha1";

    /** Ready means: the current generation was observed and its Ready condition is True. */
    @JsonIgnore
    public boolean isReady() {
        RegistryStatus status = getStatus();
        if (status == null || status.observedGeneration == null
                || !Objects.equals(status.observedGeneration, getMetadata().getGeneration())) {
            return false;
        }
        return status.condition(RegistryConditions.READY)
                .map(c -> RegistryConditions.TRUE.equals(c.getStatus()))
                .orElse(false);
    }

    /** status.readReplicas as last recorded: empty without a status or without read replicas. */
    @JsonIgnore
    public List<ReadReplicaStatus> recordedReadReplicas() {
        RegistryStatus status = getStatus();
        return status == null || status.readReplicas == null ? List.of() : status.readReplicas;
    }
}
