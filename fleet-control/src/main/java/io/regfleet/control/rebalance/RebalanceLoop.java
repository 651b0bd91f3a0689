package io.regfleet.control.rebalance;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a rebalancer's rounds every interval on its own thread until closed. */
public final class RebalanceLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RebalanceLoop.class);

    private final ScheduledExecutorService scheduler;

    public RebalanceLoop(String name, Rebalancer rebalancer, Duration interval) {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("rebalancer-" + name).daemon().factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                rebalancer.round();
            } catch (RuntimeException e) {
                LOG.errorf(e, "rebalancer %s: round failed", name);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
