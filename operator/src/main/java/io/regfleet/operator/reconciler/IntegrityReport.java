package io.regfleet.operator.reconciler;

import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.VerificationStatus;

import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import static io.regfleet.operator.api.v1alpha1.RegistryConditions.FALSE;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.TRUE;
import static io.regfleet.operator.api.v1alpha1.RegistryConditions.UNKNOWN;

/**
 * A verify Job's outcome in the Registry's terms: IntegrityVerified (True: complete and clean; False with reason
 * IntegrityFailures, the counts by kind and the first digests; Unknown with VerifyIncomplete when it stopped before
 * the end or printed no summary) and status.verification.
 */
record IntegrityReport(String status, String reason, String message, VerificationStatus verification) {
    /** Failing digests named in the condition (all of them are in the Job's log). */
    static final int DIGESTS_SHOWN = 3;

    static IntegrityReport running(VerifyProgress.Running running) {
        return new IntegrityReport(UNKNOWN, Reasons.VERIFY_RUNNING, "Job " + running.job() + " verifies the store"
                + (running.deep() ? ", blob bytes included" : "") + ", " + running.trigger(),
                verification(running.job(), running.trigger().toString(), VerificationStatus.RUNNING, running.deep()));
    }

    static IntegrityReport finished(VerifyProgress.Finished done) {
        String job = done.job();
        String logs = " (kubectl logs job/" + job + ")";
        if (done.summary().isEmpty()) {
            VerificationStatus v = verification(job, done.trigger().toString(), VerificationStatus.INCOMPLETE, done.deep());
            v.completionTime = done.finishedAt().toString();
            return new IntegrityReport(UNKNOWN, Reasons.VERIFY_INCOMPLETE, "Job " + job + " printed no summary"
                    + exit(done.exitCode()) + logs, v);
        }
        VerifySummary summary = done.summary().get();
        String state = !summary.complete() ? VerificationStatus.INCOMPLETE
                : summary.failureCount() == 0 ? VerificationStatus.VERIFIED : VerificationStatus.FAILURES_FOUND;
        VerificationStatus v = verification(job, done.trigger().toString(), state, summary.deep());
        v.completionTime = done.finishedAt().toString();
        v.manifests = summary.manifests();
        v.blobs = summary.blobs();
        v.failureCount = summary.failureCount();
        String counted = summary.manifests() + " manifests and " + summary.blobs() + " blobs"
                + (summary.deep() ? " (blob bytes re-hashed)" : "");
        if (summary.failureCount() > 0) {
            return new IntegrityReport(FALSE, Reasons.INTEGRITY_FAILURES, summary.failureCount() + " integrity failures ("
                    + byKind(summary.failuresByKind()) + ") in " + counted + (summary.complete() ? "" : " checked so far")
                    + ": " + firstDigests(summary) + logs, v);
        }
        if (!summary.complete()) {
            return new IntegrityReport(UNKNOWN, Reasons.VERIFY_INCOMPLETE, "Job " + job + " stopped before the end after "
                    + counted + ", no failure so far" + exit(done.exitCode()) + "; the next verify continues its run", v);
        }
        return new IntegrityReport(TRUE, Reasons.STORE_VERIFIED, counted + " verified by Job " + job + ", " + done.trigger(), v);
    }

    private static VerificationStatus verification(String job, String trigger, String state, boolean deep) {
        VerificationStatus v = new VerificationStatus();
        v.job = job;
        v.trigger = trigger;
        v.state = state;
        v.deep = deep;
        return v;
    }

    private static String byKind(Map<String, Long> byKind) {
        return byKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String firstDigests(VerifySummary summary) {
        String shown = summary.failures().stream().limit(DIGESTS_SHOWN)
                .map(f -> f.digest() + " " + f.kind() + (f.repository() == null || f.repository().isBlank() ? "" : " in " + f.repository()))
                .collect(Collectors.joining(", "));
        return summary.failureCount() > DIGESTS_SHOWN ? shown + ", ..." : shown;
    }

    private static String exit(OptionalInt code) {
        if (code.isEmpty()) {
            return " (its pod is gone)";
        }
        return switch (code.getAsInt()) {
            case 2 -> " (exit status 2: it could not run)";
            case 3 -> " (exit status 3: stopped before the end)";
            default -> " (exit status " + code.getAsInt() + ")";
        };
    }
}
