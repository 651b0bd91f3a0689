package io.regfleet.registry.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.regfleet.registry.manifest.ManifestParser;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.BlobSizeMismatchException;
import io.regfleet.registry.metadata.ImmutableTagException;
import io.regfleet.registry.metadata.ImmutableTags;
import io.regfleet.registry.metadata.MissingReferencesException;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import io.regfleet.registry.retention.RetentionRules;
import jakarta.inject.Singleton;

import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Map;

/** Pull, push and delete of manifests: one short query or transaction each. */
@Singleton
public class ManifestService {
    private final MetadataStore metadata;
    private final IntegrityGuard integrity;
    private final ImmutableTags immutable;

    public ManifestService(MetadataStore metadata, MeterRegistry meters, RetentionRules rules) {
        this.integrity = new IntegrityGuard(meters);
        this.metadata = metadata;
        this.immutable = rules;
    }

    /** The manifest, verified against its digest. */
    public StoredManifest get(RepositoryName repository, Reference reference) {
        StoredManifest found = metadata.manifest(repository, reference).orElseThrow(() -> unknown(repository, reference));
        return integrity.verified(repository.value(), found);
    }

    /**
     * The manifest when the metadata store answers at once from memory (an event-loop thread may ask); empty when
     * only {@link #get} can tell. Not hashed again: memory holds only content that matched its digest when it was
     * remembered (a SHA-256 per answer was the event loop's busiest frame under load).
     */
    public Optional<StoredManifest> fromMemory(RepositoryName repository, Reference reference) {
        return metadata.manifestInMemory(repository, reference);
    }

    /** What a push stored: the manifest's digest, its subject (or null) and the tags now on it. */
    public record Pushed(Digest digest, Digest subject, List<String> tags) {
    }

    /** Stores a manifest after checking its digest, its shape, and that everything it references is here. */
    public Pushed put(RepositoryName repository, Reference reference, String contentType, byte[] content) {
        return put(repository, reference, contentType, content, List.of());
    }

    /**
     * Stores a manifest and points the reference's tag (if it is one) and every one of {@code moreTags} at it, in one
     * unit: the spec's multi-tag push ({@code PUT .../manifests/<digest>?tag=a&tag=b}).
     */
    public Pushed put(RepositoryName repository, Reference reference, String contentType, byte[] content,
                      List<Reference.Tag> moreTags) {
        Digest digest = reference instanceof Reference.ByDigest byDigest && !"sha256".equals(byDigest.digest().algorithm())
                ? digestWith(byDigest.digest(), content)
                : Digest.sha256Of(content);
        if (reference instanceof Reference.ByDigest byDigest && !byDigest.digest().equals(digest)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "manifest content does not match the digest in the URL",
                    Map.of("digest", byDigest.digest().toString()));
        }
        ParsedManifest parsed = ManifestParser.parse(contentType, content);
        Set<String> tags = new LinkedHashSet<>();
        if (reference instanceof Reference.Tag t) {
            tags.add(t.name());
        }
        moreTags.forEach(t -> tags.add(t.name()));
        try {
            metadata.putManifest(repository, digest, parsed, content, tags, immutable);
        } catch (MissingReferencesException e) {
            throw missing(e);
        } catch (BlobSizeMismatchException e) {
            throw missized(e);
        } catch (ImmutableTagException e) {
            throw denied(repository, e.tags(), "cannot be moved to another manifest");
        }
        return new Pushed(digest, parsed.subject(), List.copyOf(tags));
    }

    /** Deletes a manifest by digest (with its tags) or just a tag; never an immutable tag. */
    public void delete(RepositoryName repository, Reference reference) {
        boolean deleted;
        try {
            deleted = switch (reference) {
                case Reference.Tag tag -> {
                    if (immutable.test(repository, tag.name())) {
                        throw new ImmutableTagException(List.of(tag.name()));
                    }
                    yield metadata.deleteTag(repository, tag.name());
                }
                case Reference.ByDigest byDigest -> metadata.deleteManifest(repository, byDigest.digest(), immutable);
            };
        } catch (ImmutableTagException e) {
            throw denied(repository, e.tags(), "cannot be deleted");
        }
        if (!deleted) {
            throw unknown(repository, reference);
        }
    }

    /** An immutable tag (regfleet.retention.rules) would move or go: 403 DENIED naming the tags. */
    private static RegistryException denied(RepositoryName repository, List<String> tags, String what) {
        return new RegistryException(ErrorCode.DENIED, (tags.size() == 1 ? "tag " + tags.getFirst() + " is"
                : "tags " + String.join(", ", tags) + " are") + " immutable in " + repository.value() + " and " + what,
                Map.of("tags", tags));
    }

    private RegistryException unknown(RepositoryName repository, Reference reference) {
        return metadata.repositoryExists(repository)
                ? RegistryException.manifestUnknown(reference.text()) : RegistryException.nameUnknown(repository);
    }

    private static Digest digestWith(Digest algorithmOf, byte[] content) {
        return new Digest(algorithmOf.algorithm(), HexFormat.of().formatHex(algorithmOf.newHasher().digest(content)));
    }

    /** A descriptor whose size differs from the stored blob: every pull of it would fail, so it is invalid. */
    private static RegistryException missized(BlobSizeMismatchException e) {
        return new RegistryException(ErrorCode.MANIFEST_INVALID, 400,
                "manifest declares blob sizes that differ from the blobs in this repository",
                Map.of("blobs", e.mismatches().stream().map(m -> Map.of("digest", m.digest().toString(),
                        "declared", m.declared(), "size", m.stored())).toList()));
    }

    /** What the spec answers for references the repository does not hold: blobs first, then child manifests. */
    private static RegistryException missing(MissingReferencesException e) {
        boolean blobs = !e.blobs().isEmpty();
        List<Digest> digests = blobs ? e.blobs() : e.manifests();
        ErrorCode code = blobs ? ErrorCode.MANIFEST_BLOB_UNKNOWN : ErrorCode.MANIFEST_UNKNOWN;
        return new RegistryException(code, 400, blobs
                ? "manifest references blobs unknown to this repository"
                : "manifest references manifests unknown to this repository",
                Map.of("digests", digests.stream().map(Digest::toString).toList()));
    }
}
