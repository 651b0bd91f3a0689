package io.regfleet.registry.tools.importer;

import io.regfleet.registry.manifest.ManifestParser;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.Inventory.ScannedBlob;
import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.metadata.VerifyLedger.Failure;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import io.regfleet.registry.tools.importer.Difference.Kind;
import io.regfleet.registry.tools.verify.FailureKind;
import io.regfleet.registry.tools.importer.SourceRegistry.SourceManifest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proves an import against its source, after the copy and from scratch (nothing the copy recorded is trusted): per
 * repository the same tags, each tag's manifest byte for byte the source's; every manifest they reach (index
 * children, referrers) here byte for byte; every blob those reference here with the size their descriptors declare,
 * present in the blob store and (with {@code verify-blobs}) hashing to its digest.
 */
final class Prover {
    private static final int PAGE = 1000;
    private final SourceRegistry source;
    private final Target target;
    private final ImportTally tally;
    private final boolean referrersApi;
    /** Manifests proven per repository, and blobs whose stored bytes were checked (once for every repository). */
    private final Set<String> manifestsProven = ConcurrentHashMap.newKeySet();
    private final Set<Digest> blobsChecked = ConcurrentHashMap.newKeySet();

    Prover(SourceRegistry source, Target target, ImportTally tally, boolean referrersApi) {
        this.source = source;
        this.target = target;
        this.tally = tally;
        this.referrersApi = referrersApi;
    }

    /** Compares the repository's tag lists; returns the source's tags, each to prove with {@link #proveTag}. */
    List<String> compareTags(RepositoryName repository) {
        List<String> theirs = source.tags(repository.value());
        List<String> ours = tagsHere(repository);
        if (theirs.size() != ours.size()) {
            differs(repository, Kind.TAG_COUNT, null, null, "the source has " + theirs.size() + " tags, this registry "
                    + ours.size());
        }
        Set<String> here = new HashSet<>(ours);
        Set<String> there = new HashSet<>(theirs);
        theirs.stream().filter(t -> !here.contains(t)).forEach(t -> differs(repository, Kind.TAG_MISSING, null, t,
                "tagged in the source, not here"));
        ours.stream().filter(t -> !there.contains(t)).forEach(t -> differs(repository, Kind.TAG_EXTRA, null, t,
                "tagged here, not in the source"));
        return theirs;
    }

    void proveTag(RepositoryName repository, String tag) {
        try {
            SourceManifest theirs = source.manifest(repository.value(), tag);
            Optional<StoredManifest> ours = target.metadata().manifest(repository, new Reference.Tag(tag));
            if (ours.isEmpty()) {
                return; // a missing tag, said by compareTags
            }
            tally.tagsProven.incrementAndGet();
            if (!Arrays.equals(theirs.content(), ours.get().content())) {
                differs(repository, Kind.MANIFEST_DIFFERS, ours.get().digest(), tag,
                        "the source's manifest for the tag is " + theirs.digest());
                return;
            }
            proveReachable(repository, theirs);
        } catch (SourceException e) {
            differs(repository, Kind.SOURCE_UNREADABLE, null, tag, e.getMessage());
        }
    }

    /** What a proven manifest reaches: its children, its blobs, its referrers. */
    private void proveReachable(RepositoryName repository, SourceManifest manifest) {
        if (!manifestsProven.add(repository + "@" + manifest.digest())) {
            return;
        }
        tally.manifestsProven.incrementAndGet();
        ParsedManifest parsed;
        try {
            parsed = ManifestParser.parse(manifest.mediaType(), manifest.content());
        } catch (RegistryException e) {
            return; // stored here it could not be: the tag's comparison already differs
        }
        for (Digest child : parsed.manifests()) {
            proveByDigest(repository, child, Kind.MANIFEST_MISSING);
        }
        parsed.blobs().forEach(blob -> proveBlob(repository, blob, parsed.declaredSizes().get(blob)));
        if (referrersApi) {
            source.referrers(repository.value(), manifest.digest()).orElse(List.of())
                    .forEach(r -> proveByDigest(repository, r.digest(), Kind.REFERRER_MISSING));
        }
    }

    private void proveByDigest(RepositoryName repository, Digest digest, Kind missing) {
        Optional<StoredManifest> ours = target.metadata().manifest(repository, new Reference.ByDigest(digest));
        if (ours.isEmpty()) {
            differs(repository, missing, digest, null, "in the source, not here");
            return;
        }
        SourceManifest theirs = source.manifest(repository.value(), digest.toString());
        if (!Arrays.equals(theirs.content(), ours.get().content())) {
            differs(repository, Kind.MANIFEST_DIFFERS, digest, null, "stored bytes differ from the source's");
            return;
        }
        proveReachable(repository, theirs);
    }

    private void proveBlob(RepositoryName repository, Digest digest, Long declared) {
        OptionalLong size = target.metadata().blobSize(repository, digest);
        if (size.isEmpty()) {
            blobDiffers(repository, FailureKind.BLOB_MISSING, digest, "referenced, not in this repository");
            return;
        }
        if (declared != null && declared != size.getAsLong()) {
            blobDiffers(repository, FailureKind.BLOB_SIZE, digest, "declared " + declared + " bytes, "
                    + size.getAsLong() + " here");
            return;
        }
        if (blobsChecked.add(digest)) {
            tally.blobsProven.incrementAndGet();
            Failure failure = target.checks().blob(new ScannedBlob(digest, size.getAsLong(), false)).failure();
            if (failure != null) {
                tally.differs(new Difference(repository.value(), failure.kind(), failure.digest(), "", failure.detail()));
            }
        }
    }

    private List<String> tagsHere(RepositoryName repository) {
        List<String> tags = new ArrayList<>();
        String last = null;
        Optional<Page> page;
        do {
            page = target.metadata().tags(repository, last, PAGE);
            page.ifPresent(p -> tags.addAll(p.entries()));
            last = page.map(Page::lastEntry).orElse(null);
        } while (page.isPresent() && page.get().more());
        return tags;
    }

    private void blobDiffers(RepositoryName repository, FailureKind kind, Digest digest, String detail) {
        tally.differs(new Difference(repository.value(), kind.label(), digest.toString(), "", detail));
    }

    private void differs(RepositoryName repository, Kind kind, Object digest, String tag, String detail) {
        tally.differs(Difference.of(repository.value(), kind, digest, tag, detail));
    }
}
