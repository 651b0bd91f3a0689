package io.regfleet.control.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.regfleet.control.budget.ReplicaBudget;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * One Registry's budget on each of its read replicas, beside {@link BudgetMetrics}:
 * {@code regfleet_operator_replica_budget_*} tagged registry, namespace and replica ({@code host:port} as the spec
 * names it). A replica no longer recorded loses its meters; all go on {@link #close()}.
 */
public final class ReplicaBudgetMetrics implements AutoCloseable {
    public static final String PREFIX = "regfleet.operator.replica.budget.";

    /** What each meter reads of a replica's budget, and what it says. */
    private record Figure(String name, ToDoubleFunction<ReplicaBudget> value, String description) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("server.max.connections", ReplicaBudget::serverMaxConnections, "max_connections of the read replica"),
            new Figure("reserved", ReplicaBudget::reserved, "Connections held back on the replica"),
            new Figure("held.by.others", ReplicaBudget::heldByOthers, "Connections on the replica outside this fleet"),
            new Figure("available", ReplicaBudget::available, "Connections the fleet's pods may hold on the replica"),
            new Figure("per.pod.pool", ReplicaBudget::perPodPool, "Pool maximum of each pod's pool on the replica"));

    /** A replica's last budget and its meters. */
    private record Replica(AtomicReference<ReplicaBudget> last, List<Meter> meters) {
    }

    private final MeterRegistry meters;
    private final Tags tags;
    private final Map<String, Replica> replicas = new ConcurrentHashMap<>();

    public ReplicaBudgetMetrics(MeterRegistry meters, String namespace, String registry) {
        this.meters = meters;
        this.tags = Tags.of("registry", registry, "namespace", namespace);
    }

    /** The budgets as last computed, by replica ({@code host:port}); replicas not in it lose their meters. */
    public synchronized void record(Map<String, ReplicaBudget> budgets) {
        for (String gone : Set.copyOf(replicas.keySet())) {
            if (!budgets.containsKey(gone)) {
                replicas.remove(gone).meters().forEach(meters::remove);
            }
        }
        budgets.forEach((replica, budget) -> replicas.computeIfAbsent(replica, this::register).last().set(budget));
    }

    private Replica register(String replica) {
        AtomicReference<ReplicaBudget> last = new AtomicReference<>();
        Tags replicaTags = tags.and("replica", replica);
        List<Meter> registered = FIGURES.stream().map(f -> (Meter) Gauge.builder(PREFIX + f.name(), last,
                        b -> b.get() == null ? Double.NaN : f.value().applyAsDouble(b.get()))
                .tags(replicaTags).description(f.description()).register(meters)).toList();
        return new Replica(last, registered);
    }

    @Override
    public synchronized void close() {
        replicas.values().forEach(r -> r.meters().forEach(meters::remove));
        replicas.clear();
    }
}
