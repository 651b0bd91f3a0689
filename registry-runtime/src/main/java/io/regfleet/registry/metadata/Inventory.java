package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.util.List;

/**
 * Everything the store records, read range by range in digest order ({@link DigestRange}), page by page with a
 * cursor: what a whole-store check (verify) walks. Each page is one query; nothing is held between pages, so a walk
 * may stop anywhere and continue later from the last cursor.
 */
public interface Inventory {

    /**
     * Stored manifests in the range after {@code cursor} (null: from its start), by digest (one held by several
     * repositories comes once for each, in an order of the store's): at most {@code limit}, and no more after their contents reach {@code maxBytes} (one at least), so a page of large
     * manifests stays small in memory.
     */
    ScanPage<ScannedManifest> manifests(DigestRange range, String cursor, int limit, long maxBytes);

    /** Recorded blobs in the range after {@code cursor} (null: from its start), by digest; at most {@code limit}. */
    ScanPage<ScannedBlob> blobs(DigestRange range, String cursor, int limit);

    /**
     * One page of a walk.
     *
     * @param cursor where the next page starts (opaque; null only for an empty first page)
     * @param more   false when the range has nothing after this page
     */
    record ScanPage<T>(List<T> items, String cursor, boolean more) {
        public ScanPage {
            items = List.copyOf(items);
        }
    }

    /** A manifest as stored (not verified) and the repository that holds it. */
    record ScannedManifest(RepositoryName repository, StoredManifest manifest) {
    }

    /** A recorded blob: the size it was verified at, and whether it is quarantined (its bytes failed a later read). */
    record ScannedBlob(Digest digest, long size, boolean quarantined) {
    }
}
