package io.regfleet.registry.gc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.regfleet.fleet.CollectorReport;
import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.metadata.QueueSizes;
import io.regfleet.registry.metadata.ReviewQueue;
import io.regfleet.registry.metadata.Reviewed;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The collector's meters (Prometheus names in the README), every label bounded: queue, outcome, kind, stage. Totals
 * are counters ({@code _total}); the queue sizes are gauges refreshed when the collector rests.
 */
@Singleton
public class GcMetrics {
    /** Where an error happened. */
    public enum Stage { REVIEW, DELETE, SWEEP, RETENTION }

    /** What was removed: a blob (row and bytes), a manifest row, a repository's link to a blob, an orphan object. */
    public enum Kind { BLOB, MANIFEST, LINK, ORPHAN }

    /** What a review decided. */
    private enum Outcome { COLLECTED, KEPT, POSTPONED }

    private final Map<ReviewQueue, Map<Outcome, Counter>> reviewed = new EnumMap<>(ReviewQueue.class);
    private final Map<Kind, Counter> collected = new EnumMap<>(Kind.class);
    private final Map<Stage, Counter> errors = new EnumMap<>(Stage.class);
    private final Counter bytes;
    private final Counter yields;
    private final Counter tagsExpired;
    private final AtomicReference<QueueSizes> sizes = new AtomicReference<>(new QueueSizes(0, 0, 0));
    private volatile double lastRoundEpochSeconds;

    GcMetrics(MeterRegistry meters, GarbageCollection gc) {
        for (ReviewQueue queue : ReviewQueue.values()) {
            FunctionCounter.builder("regfleet.gc.queued", gc, g -> g.queuedTotal(queue)).tag("queue", label(queue))
                    .description("Candidates this pod queued for review (or queued again)").register(meters);
            Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                outcomes.put(outcome, Counter.builder("regfleet.gc.reviewed").tag("queue", label(queue))
                        .tag("outcome", label(outcome)).description("Candidates reviewed, by outcome").register(meters));
            }
            reviewed.put(queue, outcomes);
        }
        for (Kind kind : Kind.values()) {
            collected.put(kind, Counter.builder("regfleet.gc.collected").tag("kind", label(kind))
                    .description("Rows and objects the collector removed").register(meters));
        }
        for (Stage stage : Stage.values()) {
            errors.put(stage, Counter.builder("regfleet.gc.errors").tag("stage", label(stage))
                    .description("Collector failures (the work is retried later)").register(meters));
        }
        bytes = Counter.builder("regfleet.gc.collected.bytes").baseUnit("bytes")
                .description("Blob bytes the collector deleted from the blob store").register(meters);
        yields = Counter.builder("regfleet.gc.yields")
                .description("Times the collector paused because database work queued or was shed").register(meters);
        tagsExpired = Counter.builder("regfleet.retention.tags.deleted")
                .description("Tags deleted by retention rules").register(meters);
        gauge(meters, "regfleet.gc.queue.size", "blob", QueueSizes::blobs);
        gauge(meters, "regfleet.gc.queue.size", "manifest", QueueSizes::manifests);
        gauge(meters, "regfleet.gc.queue.size", "deletion", QueueSizes::deletions);
        Gauge.builder("regfleet.gc.last.round", this, m -> m.lastRoundEpochSeconds).baseUnit("seconds")
                .description("When the collector last finished a round (Unix time)").register(meters);
    }

    private void gauge(MeterRegistry meters, String name, String queue, ToDoubleFunction<QueueSizes> size) {
        Gauge.builder(name, sizes, s -> size.applyAsDouble(s.get())).tag("queue", queue)
                .description("Candidates waiting in the review queue, or blob deletions in progress").register(meters);
    }

    void reviewed(ReviewQueue queue, Reviewed reviewed) {
        Map<Outcome, Counter> outcomes = this.reviewed.get(queue);
        outcomes.get(Outcome.COLLECTED).increment(reviewed.collected());
        outcomes.get(Outcome.KEPT).increment(reviewed.kept());
        outcomes.get(Outcome.POSTPONED).increment(reviewed.postponed());
        collected.get(queue == ReviewQueue.BLOB ? Kind.BLOB : Kind.MANIFEST).increment(reviewed.collected());
        collected.get(Kind.LINK).increment(reviewed.unlinked());
    }

    void bytesDeleted(long n) {
        bytes.increment(n);
    }

    void orphansDeleted(int n) {
        collected.get(Kind.ORPHAN).increment(n);
    }

    void error(Stage stage) {
        errors.get(stage).increment();
    }

    void yielded() {
        yields.increment();
    }

    void tagsExpired(int n) {
        tagsExpired.increment(n);
    }

    void queueSizes(QueueSizes now) {
        sizes.set(now);
    }

    void roundFinished(long epochMillis) {
        lastRoundEpochSeconds = epochMillis / 1000.0;
    }

    /** The totals and the last queue sizes, read together: what the pod agent serves at {@code /fleet/collector}. */
    public CollectorReport report() {
        QueueSizes queues = sizes.get();
        return new CollectorReport(lastRoundEpochSeconds, count(collected.get(Kind.BLOB)), (long) bytes.count(),
                count(collected.get(Kind.MANIFEST)), count(collected.get(Kind.LINK)), count(collected.get(Kind.ORPHAN)),
                (long) errors.values().stream().mapToDouble(Counter::count).sum(), queues.blobs(), queues.manifests(),
                queues.deletions());
    }

    private static long count(Counter counter) {
        return (long) counter.count();
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
