package io.regfleet.registry.service;

import io.regfleet.registry.manifest.ManifestParser;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.Blobs;
import io.regfleet.registry.metadata.Database;
import io.regfleet.registry.metadata.Manifests;
import io.regfleet.registry.metadata.Repositories;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.metadata.Tags;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pull, push and delete of manifests: one short query or transaction each. */
@ApplicationScoped
public class ManifestService {
    private final Database db;
    private final IntegrityGuard integrity;

    public ManifestService(Database db, IntegrityGuard integrity) {
        this.db = db;
        this.integrity = integrity;
    }

    /** The manifest, verified against its digest. */
    public StoredManifest get(RepositoryName repository, Reference reference) {
        StoredManifest found = db.read(c -> (switch (reference) {
            case Reference.Tag tag -> Manifests.byTag(c, repository, tag.name());
            case Reference.ByDigest byDigest -> Manifests.byDigest(c, repository, byDigest.digest());
        }).orElse(null));
        if (found == null) {
            throw unknown(repository, reference);
        }
        return integrity.verified(repository.value(), found);
    }

    public record Pushed(Digest digest, Digest subject) {
    }

    /** Stores a manifest after checking its digest, its shape, and that everything it references is here. */
    public Pushed put(RepositoryName repository, Reference reference, String contentType, byte[] content) {
        Digest digest = reference instanceof Reference.ByDigest byDigest && !"sha256".equals(byDigest.digest().algorithm())
                ? digestWith(byDigest.digest(), content)
                : Digest.sha256Of(content);
        if (reference instanceof Reference.ByDigest byDigest && !byDigest.digest().equals(digest)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "manifest content does not match the digest in the URL",
                    Map.of("digest", byDigest.digest().toString()));
        }
        ParsedManifest parsed = ManifestParser.parse(contentType, content);
        db.transaction(c -> {
            long repositoryId = Repositories.ensure(c, repository);
            requirePresent(Blobs.presentIn(c, repositoryId, parsed.blobs()), parsed.blobs(), ErrorCode.MANIFEST_BLOB_UNKNOWN);
            requirePresent(Manifests.presentIn(c, repositoryId, parsed.manifests()), parsed.manifests(),
                    ErrorCode.MANIFEST_UNKNOWN);
            Manifests.put(c, repositoryId, digest, parsed, content);
            if (reference instanceof Reference.Tag tag) {
                Tags.put(c, repositoryId, tag.name(), digest);
            }
            return null;
        });
        return new Pushed(digest, parsed.subject());
    }

    /** Deletes a manifest by digest (with its tags) or just a tag. */
    public void delete(RepositoryName repository, Reference reference) {
        boolean deleted = db.transaction(c -> switch (reference) {
            case Reference.Tag tag -> Tags.delete(c, repository, tag.name());
            case Reference.ByDigest byDigest -> Manifests.delete(c, repository, byDigest.digest());
        });
        if (!deleted) {
            throw unknown(repository, reference);
        }
    }

    private RegistryException unknown(RepositoryName repository, Reference reference) {
        boolean repositoryExists = db.read(c -> Repositories.find(c, repository).isPresent());
        return repositoryExists ? RegistryException.manifestUnknown(reference.text()) : RegistryException.nameUnknown(repository);
    }

    private static Digest digestWith(Digest algorithmOf, byte[] content) {
        return new Digest(algorithmOf.algorithm(), java.util.HexFormat.of().formatHex(algorithmOf.newHasher().digest(content)));
    }

    private static void requirePresent(Set<String> present, List<Digest> wanted, ErrorCode code) {
        List<String> missing = new ArrayList<>();
        for (Digest d : wanted) {
            if (!present.contains(d.toString())) {
                missing.add(d.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new RegistryException(code, 400, code == ErrorCode.MANIFEST_UNKNOWN
                    ? "manifest references manifests unknown to this repository"
                    : "manifest references blobs unknown to this repository",
                    Map.of("digests", missing));
        }
    }
}
