package io.regfleet.registry.tools.importer;

/**
 * One way the import and its source differ, or something of the source that was not imported.
 *
 * @param digest the manifest or blob concerned, or "" when none
 * @param tag    the tag concerned, or "" when none
 */
public record Difference(String repository, String kind, String digest, String tag, String detail) {

    /** The kinds: what the source served wrong, then what the proof found. */
    public enum Kind {
        /** The source did not answer a request (its status or I/O error in the detail). */
        SOURCE_UNREADABLE("source-unreadable"),
        /** A manifest whose bytes do not hash to the digest the source gives it: not imported. */
        SOURCE_MANIFEST_DIGEST("source-manifest-digest"),
        /** A blob whose bytes do not hash to its digest: not imported (nothing was stored). */
        SOURCE_BLOB_DIGEST("source-blob-digest"),
        /** What this registry does not store (a media type, an invalid name or tag, a manifest it refuses). */
        UNSUPPORTED("unsupported"),
        /** A manifest the target refused (what it references could not be imported). */
        NOT_IMPORTED("not-imported"),
        TAG_COUNT("tag-count"),
        TAG_MISSING("tag-missing"),
        TAG_EXTRA("tag-extra"),
        MANIFEST_MISSING("manifest-missing"),
        /** The target's manifest for a tag or digest is not byte for byte the source's. */
        MANIFEST_DIFFERS("manifest-differs"),
        REFERRER_MISSING("referrer-missing"),
        BLOB_MISSING("blob-missing"),
        BLOB_SIZE("blob-size"),
        BLOB_DIGEST("blob-digest"),
        BLOB_UNREADABLE("blob-unreadable"),
        BLOB_QUARANTINED("blob-quarantined");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static Difference of(String repository, Kind kind, Object digest, String tag, String detail) {
        return new Difference(repository, kind.label(), digest == null ? "" : digest.toString(), tag == null ? "" : tag,
                detail);
    }
}
