package io.regfleet.registry.tools.verify;

import io.regfleet.registry.tools.Labels;

/** What a whole-store verify finds wrong, as named in its report. */
public enum FailureKind {
    /** A stored manifest whose bytes no longer hash to its digest (truncated, altered). */
    MANIFEST_MISMATCH,
    /** A recorded blob the blob store does not hold. */
    BLOB_MISSING,
    /** A blob the store holds with another size than recorded. */
    BLOB_SIZE,
    /** A blob whose stored bytes do not hash to its digest (deep only). */
    BLOB_DIGEST,
    /** A blob the store could not read to the end. */
    BLOB_UNREADABLE,
    /** A blob quarantined after a failed read: no repository serves it until it is pushed again. */
    BLOB_QUARANTINED;

    /** As the report names it: {@code manifest-mismatch}. */
    public String label() {
        return Labels.of(this);
    }
}
