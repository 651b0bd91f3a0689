package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the operator observed; never state kept only in operator memory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegistryStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready, DatabaseReady, StorageReady, AccessControlReady, TLSReady, ConnectionBudgetReady, ReadReplicasReady (only with read replicas), SchemaReady, Progressing, IntegrityVerified, ReconcileError.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Registry pods of the Deployment.")
    @StatusReplicas
    public Integer replicas;

    @JsonPropertyDescription("Registry pods that are ready.")
    public Integer readyReplicas;

    @JsonPropertyDescription("Label selector of the registry pods (scale subresource).")
    @LabelSelector
    public String selector;

    @JsonPropertyDescription("The registry runtime image the pods run: spec.image, else the operator's own version's.")
    public String image;

    @JsonPropertyDescription("In-cluster address of the registry API.")
    public String endpoint;

    @JsonPropertyDescription("Allocated/available connections, for display.")
    public String budgetSummary;

    @JsonPropertyDescription("The connection budget in full.")
    public BudgetStatus budget;

    @JsonPropertyDescription("Its part of the database server it shares with other Registries (one budget per server).")
    public ShareStatus share;

    @JsonPropertyDescription("Per read replica (spec.database.readReplicas): its budget and what the pods' agents report of it.")
    public List<ReadReplicaStatus> readReplicas;

    @JsonPropertyDescription("Per pod: its share of the budget as the rebalancer last saw it (written by the rebalancer only).")
    public List<PodAllocationStatus> allocations;

    @JsonPropertyDescription("The rebalancer's last round (written by the rebalancer only).")
    public RebalanceStatus rebalance;

    @JsonPropertyDescription("The pods' garbage collectors, summed from their agents' reports.")
    public GarbageCollectionStatus garbageCollection;

    @JsonPropertyDescription("The last verify Job: after every schema migration, and on the regfleet.io/verify annotation.")
    public VerificationStatus verification;

    public Optional<Condition> condition(String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
