package io.regfleet.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.PodState;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceReport;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Registry's rebalancing meters, tagged registry and namespace: the operator's and the local fleet's alike, so
 * the dashboard and the alerts read the same names from both (Prometheus names in docs/runbooks.md). Meters of pods
 * that left the report, and all of them on {@link #close()}, are removed.
 */
public final class RebalanceMetrics implements RebalanceListener, AutoCloseable {
    public static final String POOL_MAX = "regfleet.operator.allocation.pool.max";
    public static final String COMMITTED = "regfleet.operator.connections.committed";
    public static final String AVAILABLE = "regfleet.operator.connections.available";
    public static final String NEEDED = "regfleet.operator.connections.needed";
    public static final String CHANGES = "regfleet.operator.allocation.changes";
    public static final String ROUNDS = "regfleet.operator.rebalance.rounds";
    public static final String LAST_ROUND = "regfleet.operator.rebalance.last.round";
    public static final String DEFERRED = "regfleet.operator.raises.deferred";
    public static final String REFUSED = "regfleet.operator.raises.refused";
    public static final String PODS = "regfleet.operator.pods";

    private final MeterRegistry meters;
    private final Tags tags;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong available = new AtomicLong();
    private final AtomicLong needed = new AtomicLong();
    private final AtomicLong lastRoundMillis = new AtomicLong();
    private final Map<PodState, AtomicLong> podsByState = new EnumMap<>(PodState.class);
    private final Map<String, AtomicLong> poolMax = new ConcurrentHashMap<>();
    private final List<Meter> fleetMeters = new ArrayList<>();
    private final Map<String, Meter> podMeters = new ConcurrentHashMap<>();
    private final Counter changes;
    private final Counter rounds;
    private final Counter deferred;
    private final Counter refused;

    public RebalanceMetrics(MeterRegistry meters, String namespace, String registry) {
        this.meters = meters;
        this.tags = Tags.of("registry", registry, "namespace", namespace);
        gauge(COMMITTED, committed, "Connections counted after the last rebalance round");
        gauge(AVAILABLE, available, "Connections the fleet may hold");
        gauge(NEEDED, needed, "Connections the fleet needs: every pod's demand (at least the floor) and the floor of every empty slot");
        fleetMeters.add(Gauge.builder(LAST_ROUND, lastRoundMillis, m -> m.get() / 1000.0).tags(tags).baseUnit("seconds")
                .description("When the rebalancer last finished a round (Unix time)").register(meters));
        for (PodState state : PodState.values()) {
            AtomicLong count = new AtomicLong();
            podsByState.put(state, count);
            fleetMeters.add(Gauge.builder(PODS, count, AtomicLong::get).tags(tags.and("state", state.name().toLowerCase(Locale.ROOT)))
                    .description("Pods the rebalancer sees, by state (silent: its agent does not answer)").register(meters));
        }
        changes = counter(CHANGES, "Allocation changes applied by the rebalancer");
        rounds = counter(ROUNDS, "Rebalance rounds run");
        deferred = counter(DEFERRED, "Raises not made yet: a shrink was not confirmed in time or the budget did not allow them");
        refused = counter(REFUSED, "Raises refused because the plan would have gone over the budget");
    }

    private void gauge(String name, AtomicLong value, String description) {
        fleetMeters.add(Gauge.builder(name, value, AtomicLong::get).tags(tags).description(description).register(meters));
    }

    private Counter counter(String name, String description) {
        Counter counter = Counter.builder(name).tags(tags).description(description).register(meters);
        fleetMeters.add(counter);
        return counter;
    }

    @Override
    public void rebalanced(RebalanceReport report) {
        committed.set(report.committed());
        available.set(report.limits().available());
        needed.set(needed(report));
        lastRoundMillis.set(report.at().toEpochMilli());
        rounds.increment();
        changes.increment(report.changes());
        deferred.increment(report.deferred());
        refused.increment(report.refused());
        podsByState.values().forEach(count -> count.set(0));
        Set<String> present = new HashSet<>();
        for (PodReport pod : report.pods()) {
            podsByState.get(pod.state()).incrementAndGet();
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

    /**
     * What the fleet would commit if spare were given by need only: the rebalancer spreads spare nobody needs
     * evenly, so committed sits near available on an idle fleet; this does not.
     */
    static long needed(RebalanceReport report) {
        FleetLimits limits = report.limits();
        long total = (long) report.emptySlots() * limits.floor();
        for (PodReport pod : report.pods()) {
            boolean holdsSlot = pod.state() != PodState.TERMINATING && pod.state() != PodState.GONE;
            if (!holdsSlot || Double.isNaN(pod.demand())) {
                total += pod.counted();
            } else {
                total += Math.max(limits.floor(), Math.min(limits.poolCeiling(), (long) Math.ceil(pod.demand())));
            }
        }
        return total;
    }

    @Override
    public void close() {
        podMeters.values().forEach(meters::remove);
        podMeters.clear();
        poolMax.clear();
        fleetMeters.forEach(meters::remove);
    }
}
