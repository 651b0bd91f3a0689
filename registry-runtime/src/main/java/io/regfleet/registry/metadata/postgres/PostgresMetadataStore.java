package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.MissingReferencesException;
import io.regfleet.registry.metadata.ReferenceCheck;
import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.metadata.Referrer;
import io.regfleet.registry.metadata.StoredManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The metadata store on PostgreSQL: plain SQL in short transactions (READ COMMITTED), reads in autocommit so that
 * a manifest GET is one query. Names and tags are {@code COLLATE "C"} in the schema: byte order whatever the locale.
 */
@ApplicationScoped
public class PostgresMetadataStore implements MetadataStore {
    private final Database db;

    PostgresMetadataStore(Database db) {
        this.db = db;
    }

    @Override
    public void putManifest(RepositoryName repository, Digest digest, ParsedManifest parsed, byte[] content,
                            Collection<String> tags) {
        db.transaction(c -> {
            long repositoryId = Repositories.ensure(c, repository);
            ReferenceCheck.blobs(parsed, Blobs.sizesIn(c, repositoryId, parsed.blobs()));
            List<Digest> missingManifests = DigestTable.MANIFESTS.missing(c, repositoryId, parsed.manifests());
            if (!missingManifests.isEmpty()) {
                throw new MissingReferencesException(List.of(), missingManifests);
            }
            Manifests.put(c, repositoryId, digest, parsed, content);
            for (String tag : tags) {
                Tags.put(c, repositoryId, tag, digest);
            }
            return null;
        });
    }

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repository, Reference reference) {
        return db.read(c -> switch (reference) {
            case Reference.Tag tag -> Manifests.byTag(c, repository, tag.name());
            case Reference.ByDigest byDigest -> Manifests.byDigest(c, repository, byDigest.digest());
        });
    }

    @Override
    public boolean deleteManifest(RepositoryName repository, Digest digest) {
        return db.transaction(c -> DigestTable.MANIFESTS.delete(c, repository, digest));
    }

    @Override
    public boolean deleteTag(RepositoryName repository, String tag) {
        return db.transaction(c -> Tags.delete(c, repository, tag));
    }

    @Override
    public boolean repositoryExists(RepositoryName repository) {
        return db.read(c -> Repositories.find(c, repository).isPresent());
    }

    @Override
    public OptionalLong blobSize(RepositoryName repository, Digest digest) {
        return db.read(c -> Blobs.sizeIn(c, repository, digest));
    }

    @Override
    public boolean mountBlob(RepositoryName repository, Digest digest, RepositoryName from) {
        return db.transaction(c -> Blobs.sizeIn(c, from, digest).isPresent()
                && Blobs.link(c, Repositories.ensure(c, repository), digest));
    }

    @Override
    public void quarantineBlob(Digest digest) {
        db.transaction(c -> {
            Blobs.quarantine(c, digest);
            return null;
        });
    }

    @Override
    public boolean blobQuarantined(Digest digest) {
        return db.read(c -> Blobs.quarantined(c, digest));
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest digest) {
        return db.transaction(c -> DigestTable.BLOBS.delete(c, repository, digest));
    }

    @Override
    public Optional<Page> tags(RepositoryName repository, String last, int limit) {
        return db.read(c -> {
            OptionalLong id = Repositories.find(c, repository);
            return id.isEmpty() ? Optional.empty() : Optional.of(Tags.page(c, id.getAsLong(), last, limit));
        });
    }

    @Override
    public Page catalog(String last, int limit) {
        return limit == 0 ? Page.EMPTY : db.read(c -> Repositories.page(c, last, limit));
    }

    @Override
    public List<Referrer> referrers(RepositoryName repository, Digest subject, String artifactType) {
        return db.read(c -> Manifests.referrers(c, repository, subject, artifactType));
    }

    @Override
    public void ping() {
        db.read(c -> {
            try (var s = c.createStatement()) {
                return s.execute("SELECT 1");
            }
        });
    }

    @Override
    public long lastSuccessNanos() {
        return db.lastSuccessNanos();
    }
}
