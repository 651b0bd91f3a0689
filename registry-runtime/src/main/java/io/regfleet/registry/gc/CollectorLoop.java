package io.regfleet.registry.gc;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.metadata.MetadataUnavailableException;
import io.regfleet.registry.retention.RetentionConfig;
import io.regfleet.registry.retention.RetentionPass;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The collector's thread on this replica (when {@code regfleet.gc.enabled}): rounds back to back while they find
 * work, a rest of {@code regfleet.gc.interval} when they do not; a page of the retention pass and of the store sweep
 * whenever one is due. It pauses whenever requests need the database ({@link TrafficGauge}) or the database sheds
 * its work, and never holds a connection between two short units of work.
 */
@ApplicationScoped
public class CollectorLoop {
    private static final Logger LOG = Logger.getLogger(CollectorLoop.class);
    private static final long SIZES_EVERY_NANOS = Duration.ofSeconds(10).toNanos();
    private final Collector collector;
    private final GarbageCollection gc;
    private final TrafficGauge traffic;
    private final GcMetrics metrics;
    private final GcConfig config;
    private final boolean serving;
    /** The passes done a page per round: retention (a first one at start), then the store sweep. */
    private final List<Pass> passes;
    private volatile boolean running;
    private Thread thread;

    CollectorLoop(Collector collector, StoreSweep sweep, RetentionPass retention, GarbageCollection gc,
                  TrafficGauge traffic, GcMetrics metrics, GcConfig config, RetentionConfig retentionConfig,
                  RegistryConfig registry) {
        this.serving = "serve".equals(registry.mode());
        this.passes = List.of(new Pass(GcMetrics.Stage.RETENTION, retentionConfig.interval(), false, () -> {
            RetentionPass.Step step = retention.step();
            metrics.tagsExpired(step.deleted());
            return step.done();
        }), new Pass(GcMetrics.Stage.SWEEP, config.sweepInterval(), true, sweep::sweepPage));
        this.collector = collector;
        this.gc = gc;
        this.traffic = traffic;
        this.metrics = metrics;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        GcConfig.untaggedPolicy(config.untaggedManifests()); // a bad value fails the start, not the first round
        if (config.enabled() && serving) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stop();
    }

    /** Starts the collector's thread (at start-up when enabled); nothing happens when it runs already. */
    public synchronized void start() {
        if (thread == null) {
            running = true;
            thread = Thread.ofPlatform().name("gc-collector").daemon().start(this::run);
            LOG.infof("garbage collector running: review delay %s, untagged manifests %s", config.reviewDelay(),
                    config.untaggedManifests());
        }
    }

    /** Stops the collector's thread after its current unit of work. */
    public synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(5));
            thread = null;
        }
    }

    private void run() {
        passes.forEach(Pass::schedule);
        long sizesAt = 0;
        while (running) {
            if (traffic.busy()) {
                metrics.yielded();
                rest(config.yieldPause());
                continue;
            }
            try {
                boolean worked = false;
                for (Pass pass : passes) {
                    worked |= pass.step();
                }
                worked |= collector.collectOnce().worked();
                metrics.roundFinished(System.currentTimeMillis());
                if (!worked || System.nanoTime() - sizesAt > SIZES_EVERY_NANOS) {
                    metrics.queueSizes(gc.queueSizes());
                    sizesAt = System.nanoTime();
                }
                if (!worked) {
                    rest(config.interval());
                }
            } catch (MetadataUnavailableException e) { // shed, no connection in time, a lock held by traffic
                metrics.yielded();
                rest(config.yieldPause());
            } catch (RuntimeException e) {
                metrics.error(GcMetrics.Stage.REVIEW);
                LOG.warnf(e, "garbage collection round failed; retried after %s", config.interval());
                rest(config.interval());
            }
        }
    }

    private void rest(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * A periodic pass done a page per round ({@code page} answers whether the pass is over): due every
     * {@code interval}, counted from the end of the last one; the first one at start, or an interval after it.
     */
    private final class Pass {
        private final GcMetrics.Stage stage;
        private final Duration interval;
        private final boolean firstAfterInterval;
        private final BooleanSupplier page;
        private long dueNanos;
        private boolean passing;

        Pass(GcMetrics.Stage stage, Duration interval, boolean firstAfterInterval, BooleanSupplier page) {
            this.stage = stage;
            this.interval = interval;
            this.firstAfterInterval = firstAfterInterval;
            this.page = page;
        }

        void schedule() {
            dueNanos = System.nanoTime() + (firstAfterInterval ? interval.toNanos() : 0);
        }

        /** Does a page when due; true when it did one. A failing page is counted; the pass goes on after the interval. */
        boolean step() {
            if (!passing && System.nanoTime() < dueNanos) {
                return false;
            }
            try {
                passing = !page.getAsBoolean();
            } catch (MetadataUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                metrics.error(stage);
                LOG.warnf("%s page failed (%s); the pass is retried after %s", stage, e.getMessage(), interval);
                passing = false;
            }
            if (!passing) {
                dueNanos = System.nanoTime() + interval.toNanos();
            }
            return true;
        }
    }
}
