package io.regfleet.registry.metadata.postgres.replica;

import io.regfleet.registry.oci.RepositoryName;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The writes this pod knows of, its own and those other pods' notices told (each with the WAL position it ended at):
 * what a replica must have replayed before it may answer a read of a repository, and how long the oldest write a
 * replica has not replayed yet has waited (its lag). Callers pass the clock ({@link System#nanoTime()}).
 *
 * <p>Until the notice listener hears the other pods, this pod cannot know their writes: then no read may go to a
 * replica ({@link #required} is empty). When it starts hearing, the primary's position at that moment is a floor
 * every replica must pass first: writes before it were not heard.
 */
public final class WriteLsns {
    private final long forgetAfterNanos;
    /** The newest write per repository, while some replica may not have replayed it. */
    private final Map<RepositoryName, Known> repositories = new HashMap<>();
    /** Every known write not yet forgotten, in the order they became known: the oldest a replica lacks is its lag. */
    private final ArrayDeque<Known> unreplayed = new ArrayDeque<>();
    /** What a replica must have replayed before it answers any read: the listener's floor, writes to every repository. */
    private Lsn everywhere = Lsn.ZERO;
    /** The newest position known: a replica at or past it lacks nothing this pod knows of. */
    private Lsn newest = Lsn.ZERO;
    private boolean heard;

    private record Known(Lsn lsn, long atNanos) {
    }

    /** @param forgetAfterNanos how long a write is remembered at most (longer than the max lag: see {@link #forget}) */
    public WriteLsns(long forgetAfterNanos) {
        this.forgetAfterNanos = forgetAfterNanos;
    }

    /** A write committed, by this pod or (notified) another. */
    public synchronized void written(Write write, long nowNanos) {
        Known known = remember(write.lsn(), nowNanos);
        if (write.everywhere()) {
            everywhere = Lsn.max(everywhere, write.lsn());
        }
        for (RepositoryName repository : write.repositories()) {
            repositories.merge(repository, known, (a, b) -> a.lsn().reached(b.lsn()) ? a : b);
        }
    }

    /** The listener hears the other pods from now on; {@code floor}: the primary's position when it began. */
    public synchronized void listening(Lsn floor, long nowNanos) {
        remember(floor, nowNanos);
        everywhere = Lsn.max(everywhere, floor);
        heard = true;
    }

    /** The listener is down: other pods' writes may go unheard. */
    public synchronized void unheard() {
        heard = false;
    }

    /** The position a replica must have replayed to answer a read of the repository; empty: only the primary may. */
    public synchronized Optional<Lsn> required(RepositoryName repository) {
        if (!heard) {
            return Optional.empty();
        }
        Known known = repositories.get(repository);
        return Optional.of(known == null ? everywhere : Lsn.max(everywhere, known.lsn()));
    }

    /** {@link #required} for a read of every repository (the catalog): every write known. */
    public synchronized Optional<Lsn> requiredEverywhere() {
        return heard ? Optional.of(newest) : Optional.empty();
    }

    /**
     * How long the oldest known write a replica at {@code replayed} lacks has waited; 0 when it lacks none. A write
     * forgotten for its age counts as the forgetting bound.
     */
    public synchronized long lagNanos(Lsn replayed, long nowNanos) {
        if (replayed.reached(newest)) {
            return 0;
        }
        for (Known known : unreplayed) {
            if (!replayed.reached(known.lsn())) {
                return Math.max(0, nowNanos - known.atNanos());
            }
        }
        return forgetAfterNanos;
    }

    /**
     * Forgets the writes every replica has replayed ({@code replayedByAll}; null when some replica's position is not
     * known), and those older than the bound. A replica that lacks one forgotten for its age lags at least the bound,
     * longer than the max lag: it was quarantined before, and rejoins only at {@link #newest}, past it.
     */
    public synchronized void forget(Lsn replayedByAll, long nowNanos) {
        unreplayed.removeIf(known -> forgettable(known, replayedByAll, nowNanos));
        repositories.values().removeIf(known -> forgettable(known, replayedByAll, nowNanos));
    }

    /** The newest write known: a replica at or past it lacks none. */
    public synchronized Lsn newest() {
        return newest;
    }

    /** Writes remembered (for tests and the forgetting bound). */
    synchronized int remembered() {
        return unreplayed.size();
    }

    private boolean forgettable(Known known, Lsn replayedByAll, long nowNanos) {
        return (replayedByAll != null && replayedByAll.reached(known.lsn())) || nowNanos - known.atNanos() > forgetAfterNanos;
    }

    private Known remember(Lsn lsn, long nowNanos) {
        Known known = new Known(lsn, nowNanos);
        unreplayed.addLast(known);
        newest = Lsn.max(newest, lsn);
        return known;
    }
}
