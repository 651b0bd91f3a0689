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
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, DatabaseReady, StorageReady, ConnectionBudgetReady, SchemaReady, Progressing, ReconcileError.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Registry pods of the Deployment.")
    @StatusReplicas
    private Integer replicas;

    @JsonPropertyDescription("Registry pods that are ready.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Label selector of the registry pods (scale subresource).")
    @LabelSelector
    private String selector;

    @JsonPropertyDescription("In-cluster address of the registry API.")
    private String endpoint;

    @JsonPropertyDescription("Allocated/available connections, for display.")
    private String budgetSummary;

    @JsonPropertyDescription("The connection budget in full.")
    private BudgetStatus budget;

    @JsonPropertyDescription("Per pod: its share of the budget as the rebalancer last saw it (written by the rebalancer only).")
    private List<PodAllocationStatus> allocations;

    @JsonPropertyDescription("The rebalancer's last round (written by the rebalancer only).")
    private RebalanceStatus rebalance;

    public Optional<Condition> condition(String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getBudgetSummary() {
        return budgetSummary;
    }

    public void setBudgetSummary(String budgetSummary) {
        this.budgetSummary = budgetSummary;
    }

    public BudgetStatus getBudget() {
        return budget;
    }

    public void setBudget(BudgetStatus budget) {
        this.budget = budget;
    }

    public List<PodAllocationStatus> getAllocations() {
        return allocations;
    }

    public void setAllocations(List<PodAllocationStatus> allocations) {
        this.allocations = allocations;
    }

    public RebalanceStatus getRebalance() {
        return rebalance;
    }

    public void setRebalance(RebalanceStatus rebalance) {
        this.rebalance = rebalance;
    }
}
