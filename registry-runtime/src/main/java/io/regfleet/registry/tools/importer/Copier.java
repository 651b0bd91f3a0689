package io.regfleet.registry.tools.importer;

import io.regfleet.registry.manifest.ManifestParser;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import io.regfleet.registry.service.CountingInputStream;
import io.regfleet.registry.tools.importer.Difference.Kind;
import io.regfleet.registry.tools.importer.SourceRegistry.SourceManifest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies what a tag names, depth first: its child manifests, its blobs (streamed from the source into an upload, so a
 * blob whose bytes do not match its digest is refused and never stored), then the manifest with its tag, then its
 * referrers. What is here already and verified is skipped, so an import that stopped continues where it was. A blob or
 * child manifest wanted by several tags at once is copied once (the others wait for it); a blob copied into one
 * repository is linked into the next that needs it.
 */
final class Copier {
    private final SourceRegistry source;
    private final Target target;
    private final ImportTally tally;
    /** Child manifests and referrers copied (or being copied) per repository and digest: true once stored. */
    private final Map<String, CompletableFuture<Boolean>> manifests = new ConcurrentHashMap<>();
    /** Blobs copied (or being copied) by digest: the repository that holds them, or null when the copy failed. */
    private final Map<Digest, CompletableFuture<RepositoryName>> blobs = new ConcurrentHashMap<>();
    private volatile boolean referrersApi = true;

    Copier(SourceRegistry source, Target target, ImportTally tally) {
        this.source = source;
        this.target = target;
        this.tally = tally;
    }

    /** Copies the tag and everything it needs; differences are tallied, never thrown. */
    void copyTag(RepositoryName repository, String tag) {
        try {
            SourceManifest manifest = source.manifest(repository.value(), tag);
            if (!digestAsDeclared(repository, manifest, tag)) {
                return;
            }
            if (copy(repository, manifest, new Reference.Tag(tag))) {
                tally.tags.incrementAndGet();
            }
        } catch (SourceException e) {
            tally.differs(Difference.of(repository.value(), Kind.SOURCE_UNREADABLE, null, tag, e.getMessage()));
        } catch (RegistryException e) {
            tally.differs(Difference.of(repository.value(), Kind.UNSUPPORTED, null, tag, e.getMessage()));
        }
    }

    /** Stores the manifest (tagged when {@code tag} is not null) after what it references; true once it is here. */
    private boolean copy(RepositoryName repository, SourceManifest manifest, Reference.Tag tag) {
        Optional<StoredManifest> here = target.metadata().manifest(repository, new Reference.ByDigest(manifest.digest()));
        if (here.isPresent() && manifest.digest().matches(here.get().content())) {
            tally.manifestsPresent.incrementAndGet();
            if (tag != null && !tagged(repository, tag, manifest.digest())) {
                put(repository, manifest, tag);
            }
        } else if (!copyNew(repository, manifest, tag)) {
            return false;
        }
        copyReferrers(repository, manifest.digest());
        return true;
    }

    private boolean copyNew(RepositoryName repository, SourceManifest manifest, Reference.Tag tag) {
        ParsedManifest parsed;
        try {
            parsed = ManifestParser.parse(manifest.mediaType(), manifest.content());
        } catch (RegistryException e) {
            tally.differs(Difference.of(repository.value(), Kind.UNSUPPORTED, manifest.digest(), tagName(tag),
                    "not stored here (" + manifest.mediaType() + "): " + e.getMessage()));
            return false;
        }
        for (Digest child : parsed.manifests()) {
            copyChild(repository, child);
        }
        for (Digest blob : parsed.blobs()) {
            copyBlob(repository, blob);
        }
        if (!put(repository, manifest, tag)) {
            return false;
        }
        tally.manifestsCopied.incrementAndGet();
        return true;
    }

    private boolean put(RepositoryName repository, SourceManifest manifest, Reference.Tag tag) {
        try {
            target.manifests().put(repository, new Reference.ByDigest(manifest.digest()), manifest.mediaType(),
                    manifest.content(), tag == null ? List.of() : List.of(tag));
            return true;
        } catch (RegistryException e) {
            tally.differs(Difference.of(repository.value(), Kind.NOT_IMPORTED, manifest.digest(), tagName(tag),
                    e.getMessage() + " " + e.detail()));
            return false;
        }
    }

    /** A child manifest or referrer, by digest: copied once per repository, the others waiting for that copy. */
    private boolean copyChild(RepositoryName repository, Digest digest) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = manifests.putIfAbsent(repository + "@" + digest, mine);
        if (running != null) {
            return running.join();
        }
        boolean copied = false;
        try {
            SourceManifest child = source.manifest(repository.value(), digest.toString());
            if (!child.digest().equals(digest)) {
                tally.differs(Difference.of(repository.value(), Kind.SOURCE_MANIFEST_DIGEST, digest, null,
                        "the source's bytes hash to " + child.digest() + "; not imported"));
            } else {
                copied = copy(repository, child, null);
            }
        } catch (SourceException e) {
            tally.differs(Difference.of(repository.value(), Kind.SOURCE_UNREADABLE, digest, null, e.getMessage()));
        } finally {
            mine.complete(copied);
        }
        return copied;
    }

    private void copyReferrers(RepositoryName repository, Digest subject) {
        if (!referrersApi) {
            return; // the tag schema's sha256-<hex> tags are ordinary tags, copied with the others
        }
        Optional<List<SourceRegistry.Referrer>> referrers = source.referrers(repository.value(), subject);
        if (referrers.isEmpty()) {
            referrersApi = false;
            return;
        }
        for (SourceRegistry.Referrer referrer : referrers.get()) {
            if (copyChild(repository, referrer.digest())) {
                tally.referrers.incrementAndGet();
            }
        }
    }

    /** Makes the blob the repository's: here already, linked from another repository, or copied from the source. */
    private void copyBlob(RepositoryName repository, Digest digest) {
        OptionalLong here = target.metadata().blobSize(repository, digest);
        if (here.isPresent()) {
            tally.blobsPresent.incrementAndGet();
            return;
        }
        CompletableFuture<RepositoryName> mine = new CompletableFuture<>();
        CompletableFuture<RepositoryName> running = blobs.putIfAbsent(digest, mine);
        if (running != null) {
            RepositoryName holder = running.join();
            if (holder != null && target.blobs().mount(repository, digest, holder)) {
                tally.blobsLinked.incrementAndGet();
                return;
            }
            if (holder == null) {
                return; // its copy failed, and said why
            }
        }
        boolean copied = stream(repository, digest);
        if (running == null) {
            mine.complete(copied ? repository : null);
        }
    }

    /** Streams the blob from the source into an upload that stores it only when its bytes match its digest. */
    private boolean stream(RepositoryName repository, Digest digest) {
        String uploadId = target.uploads().start(repository).id();
        try (SourceRegistry.SourceBlob blob = source.blob(repository.value(), digest)) {
            CountingInputStream counted = new CountingInputStream(blob.stream());
            target.uploads().complete(repository, uploadId, digest, null, -1, counted);
            tally.blobsCopied.incrementAndGet();
            tally.bytesCopied.addAndGet(counted.count());
            return true;
        } catch (RegistryException e) {
            cancelQuietly(repository, uploadId);
            boolean corrupt = e.code() == ErrorCode.DIGEST_INVALID;
            tally.differs(Difference.of(repository.value(), corrupt ? Kind.SOURCE_BLOB_DIGEST : Kind.NOT_IMPORTED,
                    digest, null, corrupt ? "the source's bytes do not hash to the digest; not imported"
                            : e.getMessage()));
        } catch (SourceException | IOException | java.io.UncheckedIOException e) {
            cancelQuietly(repository, uploadId);
            tally.differs(Difference.of(repository.value(), Kind.SOURCE_UNREADABLE, digest, null, e.getMessage()));
        }
        return false;
    }

    /** False (and tallied) when the source names the manifest by a digest its bytes do not hash to. */
    private boolean digestAsDeclared(RepositoryName repository, SourceManifest manifest, String tag) {
        if (manifest.declaredDigest() == null || (Digest.looksLikeDigest(manifest.declaredDigest())
                && matches(manifest.declaredDigest(), manifest.content()))) {
            return true;
        }
        tally.differs(Difference.of(repository.value(), Kind.SOURCE_MANIFEST_DIGEST, manifest.declaredDigest(), tag,
                "the source's bytes hash to " + manifest.digest() + "; not imported"));
        return false;
    }

    private static boolean matches(String digest, byte[] content) {
        try {
            return Digest.parse(digest).matches(content);
        } catch (RuntimeException e) {
            return false; // an algorithm this registry cannot check
        }
    }

    private void cancelQuietly(RepositoryName repository, String uploadId) {
        try {
            target.uploads().cancel(repository, uploadId);
        } catch (RuntimeException ignored) {
            // ended already; an abandoned session is purged after the upload expiry anyway
        }
    }

    private boolean tagged(RepositoryName repository, Reference.Tag tag, Digest digest) {
        return target.metadata().manifest(repository, tag).map(m -> m.digest().equals(digest)).orElse(false);
    }

    private static String tagName(Reference.Tag tag) {
        return tag == null ? null : tag.name();
    }

    boolean referrersApi() {
        return referrersApi;
    }
}
