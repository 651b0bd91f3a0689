package io.regfleet.registry.tools.importer;

import io.regfleet.registry.tools.Labels;

/**
 * One way the import and its source differ, or something of the source that was not imported.
 *
 * @param digest the manifest or blob concerned, or "" when none
 * @param tag    the tag concerned, or "" when none
 */
public record Difference(String repository, String kind, String digest, String tag, String detail) {

    /**
     * The kinds: what the source served wrong, then what the proof found; a blob's are verify's
     * ({@link io.regfleet.registry.tools.verify.FailureKind}), by the same check.
     */
    public enum Kind {
        /** The source did not answer a request (its status or I/O error in the detail). */
        SOURCE_UNREADABLE,
        /** A manifest whose bytes do not hash to the digest the source gives it: not imported. */
        SOURCE_MANIFEST_DIGEST,
        /** A blob whose bytes do not hash to its digest: not imported (nothing was stored). */
        SOURCE_BLOB_DIGEST,
        /** What this registry does not store (a media type, an invalid name or tag, a manifest it refuses). */
        UNSUPPORTED,
        /** A manifest the target refused (what it references could not be imported). */
        NOT_IMPORTED,
        TAG_COUNT,
        TAG_MISSING,
        TAG_EXTRA,
        MANIFEST_MISSING,
        /** The target's manifest for a tag or digest is not byte for byte the source's. */
        MANIFEST_DIFFERS,
        REFERRER_MISSING;

        /** As the report names it: {@code source-blob-digest}. */
        public String label() {
            return Labels.of(this);
        }
    }

    static Difference of(String repository, Kind kind, Object digest, String tag, String detail) {
        return new Difference(repository, kind.label(), digest == null ? "" : digest.toString(), tag == null ? "" : tag,
                detail);
    }
}
