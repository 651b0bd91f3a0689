package io.regfleet.registry.tools.verify;

/** What a whole-store verify finds wrong, as named in its report. */
public enum FailureKind {
    /** A stored manifest whose bytes no longer hash to its digest (truncated, altered). */
    MANIFEST_MISMATCH("manifest-mismatch"),
    /** A recorded blob the blob store does not hold. */
    BLOB_MISSING("blob-missing"),
    /** A blob the store holds with another size than recorded. */
    BLOB_SIZE("blob-size"),
    /** A blob whose stored bytes do not hash to its digest (deep only). */
    BLOB_DIGEST("blob-digest"),
    /** A blob the store could not read to the end. */
    BLOB_UNREADABLE("blob-unreadable"),
    /** A blob quarantined after a failed read: no repository serves it until it is pushed again. */
    BLOB_QUARANTINED("blob-quarantined");

    private final String label;

    FailureKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
