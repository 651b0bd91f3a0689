-- Regfleet registry metadata. PostgreSQL is the record of what exists; the blob store only keeps bytes.
-- Names and tags sort in byte order (COLLATE "C"): the distribution spec's lexical order, independent of locale.

CREATE TABLE repository (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text COLLATE "C" NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Every verified blob the store holds, once, by digest.
CREATE TABLE blob (
    digest     text PRIMARY KEY,
    size       bigint NOT NULL CHECK (size >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Which repository may serve which blob (pushed or mounted there).
CREATE TABLE repository_blob (
    repository_id bigint NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    digest        text NOT NULL REFERENCES blob (digest) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository_id, digest)
);
CREATE INDEX repository_blob_digest_idx ON repository_blob (digest);

-- Manifests are stored whole, whatever their size (bytea, no cap), and verified against their digest on every read.
CREATE TABLE manifest (
    repository_id  bigint NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    digest         text NOT NULL,
    media_type     text NOT NULL,
    artifact_type  text,
    size           bigint NOT NULL CHECK (size >= 0),
    content        bytea NOT NULL,
    subject_digest text,
    annotations    jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository_id, digest),
    CHECK (octet_length(content) = size)
);
CREATE INDEX manifest_subject_idx ON manifest (repository_id, subject_digest) WHERE subject_digest IS NOT NULL;

CREATE TABLE tag (
    repository_id   bigint NOT NULL,
    name            text COLLATE "C" NOT NULL,
    manifest_digest text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository_id, name),
    FOREIGN KEY (repository_id, manifest_digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX tag_manifest_idx ON tag (repository_id, manifest_digest);

-- Upload sessions live here (not in one pod's memory): any replica can take the next chunk.
-- lease_owner/lease_until make one writer at a time without holding a connection while bytes stream.
CREATE TABLE upload (
    id            text PRIMARY KEY,
    repository_id bigint NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    size          bigint NOT NULL DEFAULT 0 CHECK (size >= 0),
    driver_state  text NOT NULL DEFAULT '',
    lease_owner   text,
    lease_until   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX upload_updated_idx ON upload (updated_at);
