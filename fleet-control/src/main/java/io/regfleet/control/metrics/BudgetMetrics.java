package io.regfleet.control.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.regfleet.control.budget.ConnectionBudget;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * One Registry's connection budget as last computed from the live database, tagged registry and namespace:
 * {@code regfleet_operator_budget_*} (server maximum, reserved, held by others, the fleet's available, the per-pod
 * floor and pods counted). Removed on {@link #close()}.
 */
public final class BudgetMetrics implements AutoCloseable {
    public static final String PREFIX = "regfleet.operator.budget.";

    private final MeterRegistry meters;
    private final AtomicReference<ConnectionBudget> last = new AtomicReference<>();
    private final List<Meter> registered;

    public BudgetMetrics(MeterRegistry meters, String namespace, String registry) {
        this.meters = meters;
        Tags tags = Tags.of("registry", registry, "namespace", namespace);
        registered = List.of(
                gauge(tags, "server.max.connections", ConnectionBudget::serverMaxConnections, "max_connections of the server, or the spec's override"),
                gauge(tags, "reserved", ConnectionBudget::reserved, "Connections held back by the server, Aurora, the spec and the operator"),
                gauge(tags, "held.by.others", ConnectionBudget::heldByOthers, "Connections held by clients outside this fleet"),
                gauge(tags, "available", ConnectionBudget::available, "Connections the fleet may hold"),
                gauge(tags, "floor", ConnectionBudget::perPodFloor, "Pool maximum every pod slot keeps"),
                gauge(tags, "pods.counted", ConnectionBudget::podsCounted, "Most pods that can exist at once"));
    }

    private Meter gauge(Tags tags, String name, ToDoubleFunction<ConnectionBudget> value, String description) {
        return Gauge.builder(PREFIX + name, last, b -> b.get() == null ? Double.NaN : value.applyAsDouble(b.get()))
                .tags(tags).description(description).register(meters);
    }

    public void record(ConnectionBudget budget) {
        last.set(budget);
    }

    @Override
    public void close() {
        registered.forEach(meters::remove);
    }
}
