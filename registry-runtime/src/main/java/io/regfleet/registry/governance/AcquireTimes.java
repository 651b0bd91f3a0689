package io.regfleet.registry.governance;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long a read replica's reads waited for a connection of its pool over the usage window, and how many got none
 * (they went to the primary): the replica pool's part of its usage report. Kept out of the exported meters, whose
 * acquire timer is the primary's.
 */
public final class AcquireTimes implements GovernedPool.AcquireFigures {
    private final Timer waits;
    private final LongAdder timeouts = new LongAdder();

    public AcquireTimes(Duration window) {
        waits = GovernanceMetrics.percentiles("regfleet.replica.acquire", "Time to get a connection of a replica's pool",
                window, new SimpleMeterRegistry());
    }

    public void acquired(long waitedNanos) {
        waits.record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    public void failed(long waitedNanos) {
        waits.record(waitedNanos, TimeUnit.NANOSECONDS);
        timeouts.increment();
    }

    @Override
    public double acquireWaitMs(double percentile) {
        return GovernanceMetrics.percentileMs(waits.takeSnapshot(), percentile);
    }

    @Override
    public long acquireTimeoutsTotal() {
        return timeouts.sum();
    }
}
