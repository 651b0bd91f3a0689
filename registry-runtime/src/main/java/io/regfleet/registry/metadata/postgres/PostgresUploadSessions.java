package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.MetadataUnavailableException;
import io.regfleet.registry.metadata.UploadSession;
import io.regfleet.registry.metadata.UploadSessions;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Upload sessions in PostgreSQL's {@code upload} table; leases are timed by the database's clock. */
@ApplicationScoped
public class PostgresUploadSessions implements UploadSessions {
    private final Database db;

    PostgresUploadSessions(Database db) {
        this.db = db;
    }

    @Override
    public UploadSession create(RepositoryName repository, String id, UploadState state) {
        // a repository another push is creating right now is seen on the second try, by a statement started later
        if (!db.statement(c -> Uploads.create(c, id, repository, state))
                && !db.statement(c -> Uploads.create(c, id, repository, state))) {
            throw new MetadataUnavailableException("repository " + repository + " is being created; retry", null);
        }
        return new UploadSession(id, repository.value(), state);
    }

    @Override
    public Optional<UploadSession> find(RepositoryName repository, String id) {
        return db.read(c -> Uploads.find(c, repository, id));
    }

    @Override
    public Optional<UploadSession> lease(RepositoryName repository, String id, OptionalLong expectedSize, String owner,
                                         Duration duration) {
        return db.statement(c -> Uploads.lease(c, repository, id, expectedSize, owner, duration));
    }

    @Override
    public boolean renew(String id, String owner, Duration duration) {
        return db.statement(c -> Uploads.renew(c, id, owner, duration));
    }

    @Override
    public boolean advance(String id, String owner, UploadState state) {
        return db.statement(c -> Uploads.advance(c, id, owner, state));
    }

    @Override
    public void release(String id, String owner) {
        db.statement(c -> {
            Uploads.release(c, id, owner);
            return null;
        });
    }

    @Override
    public CommitClaim beginCommit(UploadSession session, String owner, Digest digest) {
        return db.statement(c -> Uploads.committing(c, session, owner, digest));
    }

    @Override
    public void complete(UploadSession session, Digest digest) {
        db.queueing((c, effects) -> {
            RepositoryName repository = new RepositoryName(session.repository());
            Blobs.Uploaded uploaded = Blobs.upload(c, repository, digest, session.state().size(), session.id());
            if (uploaded.restored()) {
                effects.changed(new MetadataChange.Blob(digest)); // restored for every repository linking it
            }
            effects.changed(new MetadataChange.BlobLink(repository, digest));
            effects.blobs(1);
            return uploaded.ended();
        });
    }

    @Override
    public boolean delete(String id) {
        return db.queueing((c, effects) -> {
            Uploads.Ended ended = Uploads.end(c, id);
            if (ended != null && ended.committing() != null) {
                effects.blobs(Reviews.blobs(c, List.of(ended.committing()), Reviews.Event.UPLOAD_CANCEL));
            }
            return ended != null;
        });
    }

    @Override
    public List<UploadSession> abandoned(Duration age, int limit) {
        return db.read(c -> Uploads.abandoned(c, age, limit));
    }
}
