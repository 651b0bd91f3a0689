package io.regfleet.registry.gc;

import io.regfleet.registry.governance.DatabaseBulkhead;
import jakarta.inject.Singleton;

/**
 * Whether the pod's requests need the database more than the collector does: work waits for a slot of the bulkhead,
 * work was shed since the last look, or every slot is taken. The collector pauses then; it uses the same pool and
 * bulkhead as requests (through the metadata store), one slot at a time.
 */
@Singleton
public class TrafficGauge {
    private final DatabaseBulkhead workers;
    private long shedSeen;

    TrafficGauge(DatabaseBulkhead workers) {
        this.workers = workers;
        this.shedSeen = workers.figures().shedTotal();
    }

    public synchronized boolean busy() {
        DatabaseBulkhead.Figures now = workers.figures();
        boolean shed = now.shedTotal() > shedSeen;
        shedSeen = now.shedTotal();
        return shed || now.waiting() > 0 || now.inFlight() >= now.limit();
    }
}
