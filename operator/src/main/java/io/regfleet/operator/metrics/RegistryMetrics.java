package io.regfleet.operator.metrics;

import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.regfleet.control.budget.ConnectionBudget;
import io.regfleet.control.budget.ReplicaBudget;
import io.regfleet.control.metrics.BudgetMetrics;
import io.regfleet.control.metrics.ReplicaBudgetMetrics;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;
import io.regfleet.operator.replica.ReadReplicaPlan;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per Registry, what the reconciler decided, on the operator's /q/metrics for the dashboard and the alerts: the
 * budget ({@link BudgetMetrics}), each read replica's ({@link ReplicaBudgetMetrics}) and every condition as {@code regfleet_operator_condition{condition,status,reason}},
 * 1 for the condition's current status and reason, 0 for those it had before (kube-state-metrics' style: a closed
 * set of reasons, so the label values stay bounded). Meters of Registries no longer in the informer's cache go.
 */
@ApplicationScoped
public class RegistryMetrics {
    public static final String CONDITION = "regfleet.operator.condition";

    /** One Registry's meters. */
    private record Fleet(BudgetMetrics budget, ReplicaBudgetMetrics replicas, Map<String, String> current,
                         Map<String, Meter> conditions) {
    }

    private final MeterRegistry meters;
    private final Map<String, Fleet> fleets = new ConcurrentHashMap<>();

    public RegistryMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The budget on the primary, and on each read replica whose budget is known. */
    public void budget(Registry registry, ConnectionBudget budget, ReadReplicaPlan replicas) {
        Fleet fleet = fleet(registry);
        fleet.budget().record(budget);
        Map<String, ReplicaBudget> known = new TreeMap<>();
        replicas.replicas().stream().filter(r -> r.budget() != null).forEach(r -> known.put(r.replica(), r.budget()));
        fleet.replicas().record(known);
    }

    /** The conditions of the status just decided. */
    public void conditions(Registry registry, RegistryStatus status) {
        if (status.conditions == null) {
            return;
        }
        Fleet fleet = fleet(registry);
        // a condition that left the list (ReadReplicasReady without replicas) reads 0 for every reason it had
        fleet.current().keySet().retainAll(status.conditions.stream().map(Condition::getType).toList());
        for (Condition c : status.conditions) {
            String key = c.getType() + "\n" + c.getStatus() + "\n" + Objects.requireNonNullElse(c.getReason(), "");
            fleet.current().put(c.getType(), key);
            fleet.conditions().computeIfAbsent(key, k -> Gauge.builder(CONDITION, fleet.current(),
                            current -> key.equals(current.get(c.getType())) ? 1 : 0)
                    .tags(tags(registry).and("condition", c.getType(), "status", c.getStatus(),
                            "reason", Objects.requireNonNullElse(c.getReason(), "")))
                    .description("A Registry condition: 1 for its current status and reason").register(meters));
        }
    }

    /** Drops the meters of every Registry not in {@code present} (keys namespace/name). */
    public void retainOnly(Set<String> present) {
        for (String key : Set.copyOf(fleets.keySet())) {
            if (!present.contains(key)) {
                Fleet gone = fleets.remove(key);
                gone.budget().close();
                gone.replicas().close();
                gone.conditions().values().forEach(meters::remove);
            }
        }
    }

    private Fleet fleet(Registry registry) {
        return fleets.computeIfAbsent(key(registry), k -> new Fleet(
                new BudgetMetrics(meters, registry.getMetadata().getNamespace(), registry.getMetadata().getName()),
                new ReplicaBudgetMetrics(meters, registry.getMetadata().getNamespace(), registry.getMetadata().getName()),
                new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
    }

    private static Tags tags(Registry registry) {
        return Tags.of("registry", registry.getMetadata().getName(), "namespace", registry.getMetadata().getNamespace());
    }

    private static String key(Registry registry) {
        return registry.getMetadata().getNamespace() + "/" + registry.getMetadata().getName();
    }
}
