package io.regfleet.registry.metadata.cache;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Whether an answer read from the store may still be remembered once the read is over. Every change counts up the
 * stripe of the answers it touches, and losing or regaining the other replicas' notices counts up the epoch; a read
 * takes a {@link Stamp} before it asks the store, and its answer is remembered only if neither moved until it is
 * stored. So a read that overlapped a change (it may have seen the state before it) is answered but not remembered,
 * whatever the order in which the read and the change's notice reach the cache.
 */
final class Freshness {
    private static final int STRIPES = 1024;
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean hearing;

    /**
     * @param hearing whether every write of the other replicas is heard from the start (true for a store that has no
     *                other replicas)
     */
    Freshness(boolean hearing) {
        this.hearing = hearing;
    }

    /** Taken before a read of the answer whose stripe is {@code hash}'s. */
    record Stamp(long epoch, long stripe, boolean hearing) {
    }

    Stamp stamp(int hash) {
        long e = epoch.get(); // read first: an epoch counted up after `hearing` changed shows the new value of it
        return new Stamp(e, stripes.get(stripe(hash)), hearing);
    }

    /** Nothing that could make the answer stale happened since the stamp was taken. */
    boolean fresh(Stamp stamp, int hash) {
        return epoch.get() == stamp.epoch() && stripes.get(stripe(hash)) == stamp.stripe();
    }

    /** A change touches the answers of this stripe: reads in flight there are not remembered. */
    void changed(int hash) {
        stripes.incrementAndGet(stripe(hash));
    }

    /** Writes of the other replicas may go unheard from now on (or are heard again): no read in flight is remembered. */
    void hearing(boolean now) {
        hearing = now;
        everythingChanged();
    }

    /** Anything may have changed: no read in flight is remembered. */
    void everythingChanged() {
        epoch.incrementAndGet();
    }

    boolean hearing() {
        return hearing;
    }

    private static int stripe(int hash) {
        return (hash ^ (hash >>> 16)) & (STRIPES - 1);
    }
}
