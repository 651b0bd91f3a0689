package io.regfleet.operator.reconciler;

import io.regfleet.operator.dependent.VerifyJob.Trigger;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** Where a Registry's newest verify Job stands, for status.verification and IntegrityVerified ({@link VerifyRuns}). */
sealed interface VerifyProgress {
    /** No verify Job, none wanted yet (verify Jobs off, or before the first schema migration): status unchanged. */
    record None() implements VerifyProgress {
    }

    /** The newest verify Job's result is in status already: unchanged. */
    record Recorded() implements VerifyProgress {
    }

    /** The newest verify Job runs (or was just created). */
    record Running(String job, Trigger trigger, boolean deep) implements VerifyProgress {
    }

    /**
     * The newest verify Job finished: its summary line (empty: none in its pod's log, or no pod left) and its
     * container's exit status (0 clean, 1 failures, 2 could not run, 3 stopped before the end).
     */
    record Finished(String job, Trigger trigger, boolean deep, Instant finishedAt, Optional<VerifySummary> summary,
                    OptionalInt exitCode) implements VerifyProgress {
    }
}
