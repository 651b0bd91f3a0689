package io.regfleet.operator.rebalance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceReport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Registry's rebalancing metrics on the operator's /q/metrics: regfleet_operator_allocation_pool_max{pod},
 * regfleet_operator_connections_committed, regfleet_operator_connections_available and
 * regfleet_operator_allocation_changes_total, all tagged registry and namespace. Meters of pods that left the
 * report, and all of them on {@link #close()}, are removed.
 */
final class AllocationMetrics implements RebalanceListener, AutoCloseable {
    static final String POOL_MAX = "regfleet.operator.allocation.pool.max";
    static final String COMMITTED = "regfleet.operator.connections.committed";
    static final String AVAILABLE = "regfleet.operator.connections.available";
    static final String CHANGES = "regfleet.operator.allocation.changes";

    private final MeterRegistry meters;
    private final Tags tags;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong available = new AtomicLong();
    private final Map<String, AtomicLong> poolMax = new ConcurrentHashMap<>();
    private final List<Meter> fleetMeters = new ArrayList<>();
    private final Map<String, Meter> podMeters = new ConcurrentHashMap<>();
    private final Counter changes;

    AllocationMetrics(MeterRegistry meters, String namespace, String registry) {
        this.meters = meters;
        this.tags = Tags.of("registry", registry, "namespace", namespace);
        fleetMeters.add(Gauge.builder(COMMITTED, committed, AtomicLong::get).tags(tags)
                .description("Connections counted after the last rebalance round").register(meters));
        fleetMeters.add(Gauge.builder(AVAILABLE, available, AtomicLong::get).tags(tags)
                .description("Connections the fleet may hold").register(meters));
        changes = Counter.builder(CHANGES).tags(tags).description("Allocation changes applied by the rebalancer").register(meters);
        fleetMeters.add(changes);
    }

    @Override
    public void rebalanced(RebalanceReport report) {
        committed.set(report.committed());
        available.set(report.limits().available());
        changes.increment(report.changes());
        Set<String> present = new HashSet<>();
        for (PodReport pod : report.pods()) {
            present.add(pod.name());
            poolMax.computeIfAbsent(pod.name(), name -> {
                AtomicLong value = new AtomicLong();
                podMeters.put(name, Gauge.builder(POOL_MAX, value, AtomicLong::get).tags(tags.and("pod", name))
                        .description("The pool maximum a registry pod runs with").register(meters));
                return value;
            }).set(pod.poolMax());
        }
        for (String gone : new ArrayList<>(poolMax.keySet())) {
            if (!present.contains(gone)) {
                poolMax.remove(gone);
                meters.remove(podMeters.remove(gone));
            }
        }
    }

    @Override
    public void close() {
        podMeters.values().forEach(meters::remove);
        podMeters.clear();
        poolMax.clear();
        fleetMeters.forEach(meters::remove);
    }
}
