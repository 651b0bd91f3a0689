package io.regfleet.registry.metadata.postgres.replica;

/**
 * The reads that tolerate a replica's lag. A manifest by tag and every write are not among them: they stay on the
 * primary. What is immutable once written (a manifest by digest, a blob) may be missing on a replica that has not
 * replayed it yet, though: a replica's "not found" for those is asked of the primary again.
 */
public enum ReadKind {
    MANIFEST_BY_DIGEST(true),
    BLOB(true),
    TAGS(false),
    CATALOG(false),
    REFERRERS(false);

    private final boolean absentAskedOfPrimary;

    ReadKind(boolean absentAskedOfPrimary) {
        this.absentAskedOfPrimary = absentAskedOfPrimary;
    }

    /** Whether a replica's "not found" is asked of the primary again. */
    public boolean absentAskedOfPrimary() {
        return absentAskedOfPrimary;
    }
}
