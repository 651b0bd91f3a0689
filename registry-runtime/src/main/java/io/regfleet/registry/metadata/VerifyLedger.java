package io.regfleet.registry.metadata;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The progress of whole-store verifications, kept in the store so that a verify that stops (killed, evicted, shut down)
 * continues where it was, and so that several processes can share one run. A run has one range per
 * {@link DigestRange} and {@link Kind}; a worker claims a range under a lease, checks it page by page and records each
 * page (its cursor, counts and failures) in one unit with the renewal of its lease. A range whose worker died is
 * claimed again, from its last recorded cursor, once its lease has lapsed. Every method is one short unit of work.
 */
public interface VerifyLedger {

    /** What a range walks. */
    enum Kind {
        MANIFEST, BLOB;

        /** As the store records it: {@code manifest}, {@code blob}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind of(String label) {
            return valueOf(label.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * The newest unfinished run of the same depth, to continue (unless {@code fresh}); otherwise a new run with every
     * range to do.
     */
    Run begin(boolean deep, boolean fresh);

    /** A range of the run nobody holds a live lease on and not done yet, now leased to {@code owner}; empty if none. */
    Optional<Claim> claim(long run, String owner, Duration lease);

    /**
     * Records a page of the claimed range and renews the lease (or ends it when the range is done), in one unit; false,
     * and nothing recorded, when {@code claim.owner()} no longer holds the range (its lease lapsed and was taken).
     */
    boolean record(Claim claim, Progress progress, Duration lease);

    /**
     * Extends the claim's lease from now while a long check (a large blob re-hashed) is under way; false when its owner
     * no longer holds the range.
     */
    boolean renew(Claim claim, Duration lease);

    /** Gives up every lease {@code owner} holds in the run (a graceful stop), so another process continues at once. */
    void release(long run, String owner);

    /** The run's totals so far, with at most {@code failureLimit} failures listed (all are counted). */
    Status status(long run, int failureLimit);

    /** Marks the run finished when every range is done; false (and nothing changed) while some are not. */
    boolean finish(long run);

    /** A run: continued ({@code resumed}) or new. */
    record Run(long id, boolean deep, boolean resumed, Instant startedAt) {
    }

    /** A range leased to {@code owner}; {@code cursor} is where its walk continues (null: from its start). */
    record Claim(long run, Kind kind, int range, String cursor, String owner) {
    }

    /** One page's outcome: the cursor after it, whether the range is done, what was checked and found. */
    record Progress(String cursor, boolean done, long checked, long bytes, List<Failure> failures) {
        public Progress {
            failures = List.copyOf(failures);
        }
    }

    /** Something that failed its check; recorded once per run, kind, digest and repository ("" for a blob). */
    record Failure(String kind, String digest, String repository, String detail) {
    }

    /** Items checked and their bytes, for one kind. */
    record Totals(long checked, long bytes) {
        public static final Totals NONE = new Totals(0, 0);
    }

    /**
     * @param finished whether the run was marked finished
     * @param failures up to the limit asked for, by kind then digest
     */
    record Status(long run, boolean deep, boolean finished, Map<Kind, Totals> totals, int rangesDone, int rangesTotal,
                  Map<String, Long> failuresByKind, List<Failure> failures) {
        public Status {
            totals = Map.copyOf(totals);
            failuresByKind = Map.copyOf(failuresByKind);
            failures = List.copyOf(failures);
        }

        public Totals totals(Kind kind) {
            return totals.getOrDefault(kind, Totals.NONE);
        }

        public long failureCount() {
            return failuresByKind.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
