package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.ReviewQueue;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Candidates this process queued, per queue. A unit of work counts into a {@link Tally} that is added only once the
 * unit has committed, so a rolled-back write counts nothing.
 */
@ApplicationScoped
class QueuedTotals {
    private final Map<ReviewQueue, LongAdder> totals = new EnumMap<>(ReviewQueue.class);

    QueuedTotals() {
        for (ReviewQueue queue : ReviewQueue.values()) {
            totals.put(queue, new LongAdder());
        }
    }

    long total(ReviewQueue queue) {
        return totals.get(queue).sum();
    }

    /** Adds what a committed unit queued. */
    void add(Tally tally) {
        totals.get(ReviewQueue.BLOB).add(tally.blobs);
        totals.get(ReviewQueue.MANIFEST).add(tally.manifests);
    }

    /** Work in one transaction that may queue candidates. */
    @FunctionalInterface
    interface Queueing<T> {
        T run(Connection connection, Tally tally) throws SQLException;
    }

    /** Runs the work in one transaction and counts what it queued once it has committed. */
    <T> T transaction(Database db, Queueing<T> work) {
        Tally tally = new Tally();
        T result = db.transaction(c -> work.run(c, tally));
        add(tally);
        return result;
    }

    /** What one unit of work queued so far. */
    static final class Tally {
        private int blobs;
        private int manifests;

        void blobs(int queued) {
            blobs += queued;
        }

        void manifests(int queued) {
            manifests += queued;
        }
    }
}
