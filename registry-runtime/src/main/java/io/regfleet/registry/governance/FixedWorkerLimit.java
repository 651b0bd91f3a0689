package io.regfleet.registry.governance;

/** The bulkhead admits as much work as the operator allocated. */
public final class FixedWorkerLimit implements WorkerLimit {
    private final DatabaseBulkhead bulkhead;

    FixedWorkerLimit(DatabaseBulkhead bulkhead) {
        this.bulkhead = bulkhead;
    }

    @Override
    public void allocate(int workers, int poolMax) {
        bulkhead.setLimit(workers);
    }

    @Override
    public int allocated() {
        return bulkhead.limit();
    }

    @Override
    public void workEnded(long startNanos, long heldNanos, int inFlight, boolean dropped) {
        // the limit does not learn
    }
}
