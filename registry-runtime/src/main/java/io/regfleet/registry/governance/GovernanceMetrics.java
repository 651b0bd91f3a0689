package io.regfleet.registry.governance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Every meter of connection governance, registered here at start-up. Totals of events are counters (Prometheus
 * {@code _total}); levels are gauges; the two timers keep the percentiles the usage report reads.
 */
@Startup
@Singleton
public class GovernanceMetrics implements GovernedPool.AcquireFigures {
    private final Timer acquire;
    private final Timer work;
    private final Counter acquireTimeouts;

    GovernanceMetrics(MeterRegistry meters, AgentConfig agent, PoolControl pool, DatabaseBulkhead workers,
                      ConnectionActivity activity) {
        acquire = percentiles("regfleet.db.acquire", "Time to get a database connection", agent.window(), meters);
        work = percentiles("regfleet.db.work", "How long database work held its connection", agent.window(), meters);
        acquireTimeouts = Counter.builder("regfleet.db.acquire.timeouts")
                .description("Database work that could not get a connection in time").register(meters);

        Gauge.builder("regfleet.pool.max", pool.governed(), GovernedPool::poolMax).register(meters);
        Gauge.builder("regfleet.pool.open", pool.governed(), GovernedPool::open).register(meters);
        Gauge.builder("regfleet.pool.active", activity, ConnectionActivity::inUse).register(meters);
        Gauge.builder("regfleet.allocation.generation", pool.governed(), GovernedPool::generation).register(meters);
        Gauge.builder("regfleet.workers.limit", workers, DatabaseBulkhead::limit).register(meters);
        Gauge.builder("regfleet.workers.in.flight", workers, w -> w.figures().inFlight()).register(meters);
        Gauge.builder("regfleet.workers.waiting", workers, w -> w.figures().waiting())
                .description("Database work waiting for a worker").register(meters);
        FunctionCounter.builder("regfleet.workers.shed", workers, w -> w.figures().shedTotal())
                .description("Database work shed (503) past the worker queue").register(meters);

        ConnectionThrottle throttle = ConnectionThrottle.instance();
        for (ConnectionThrottle.Outcome outcome : ConnectionThrottle.Outcome.values()) {
            FunctionCounter.builder("regfleet.db.connections." + outcome.name().toLowerCase(java.util.Locale.ROOT),
                    throttle, t -> t.total(outcome)).description(outcome.description()).register(meters);
        }
    }

    static Timer percentiles(String name, String description, Duration window, MeterRegistry meters) {
        return Timer.builder(name).description(description).publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(window).distributionStatisticBufferLength(2).register(meters);
    }

    void acquired(long waitedNanos) {
        acquire.record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    void acquireFailed(long waitedNanos) {
        acquire.record(waitedNanos, TimeUnit.NANOSECONDS);
        acquireTimeouts.increment();
    }

    void workDone(long heldNanos) {
        work.record(heldNanos, TimeUnit.NANOSECONDS);
    }

    /** The wait for a connection at that percentile (0.5 or 0.99) over the window, in milliseconds. */
    @Override
    public double acquireWaitMs(double percentile) {
        return percentileMs(acquire.takeSnapshot(), percentile);
    }

    /** How long work held its connection at that percentile (0.5 or 0.99) over the window, in milliseconds. */
    double workMs(double percentile) {
        return percentileMs(work.takeSnapshot(), percentile);
    }

    @Override
    public long acquireTimeoutsTotal() {
        return (long) acquireTimeouts.count();
    }

    static double percentileMs(HistogramSnapshot snapshot, double percentile) {
        for (ValueAtPercentile p : snapshot.percentileValues()) {
            if (p.percentile() == percentile) {
                return p.value(TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }
}
