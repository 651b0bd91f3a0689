package io.regfleet.registry.metadata.postgres.replica;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which server answers a lag-tolerant read: a serving replica that has replayed what the read requires, taken in
 * turn so reads spread; the primary when there is none, or when nothing tells what is required (other pods' writes
 * unheard).
 */
public final class ReadRouter {
    private final AtomicInteger turn = new AtomicInteger();

    /** A replica as the last sample saw it. */
    public record Candidate(boolean serving, Lsn replayed) {
    }

    /** The index of the replica to read from, or empty: the primary. */
    public OptionalInt choose(List<Candidate> replicas, Optional<Lsn> required) {
        if (required.isEmpty() || replicas.isEmpty()) {
            return OptionalInt.empty();
        }
        int first = Math.floorMod(turn.getAndIncrement(), replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            int index = (first + i) % replicas.size();
            Candidate candidate = replicas.get(index);
            if (candidate.serving() && candidate.replayed().reached(required.get())) {
                return OptionalInt.of(index);
            }
        }
        return OptionalInt.empty();
    }
}
