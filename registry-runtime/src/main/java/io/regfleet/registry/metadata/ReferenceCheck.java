package io.regfleet.registry.metadata;

import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.oci.Digest;

import java.util.List;
import java.util.Map;

/** The rule every store applies to a manifest's blobs before storing it, in one place. */
public final class ReferenceCheck {
    private ReferenceCheck() {
    }

    /**
     * @param held the size of each referenced blob the repository holds (absent: it does not hold it)
     * @throws MissingReferencesException a referenced blob is not in the repository
     * @throws BlobSizeMismatchException  a descriptor declares another size than the blob's
     */
    public static void blobs(ParsedManifest parsed, Map<Digest, Long> held) {
        List<Digest> missing = parsed.blobs().stream().filter(d -> !held.containsKey(d)).toList();
        if (!missing.isEmpty()) {
            throw new MissingReferencesException(missing, List.of());
        }
        List<BlobSizeMismatchException.Mismatch> mismatches = parsed.blobs().stream()
                .filter(d -> parsed.declaredSizes().containsKey(d) && !parsed.declaredSizes().get(d).equals(held.get(d)))
                .map(d -> new BlobSizeMismatchException.Mismatch(d, parsed.declaredSizes().get(d), held.get(d)))
                .toList();
        if (!mismatches.isEmpty()) {
            throw new BlobSizeMismatchException(mismatches);
        }
    }
}
