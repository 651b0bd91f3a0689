-- Online garbage collection (issue 13). Writes that can orphan something queue a candidate; collectors on every
-- replica claim due candidates (FOR UPDATE SKIP LOCKED) and delete one only if, in that same transaction, nothing
-- references it. A candidate is due once the review delay (regfleet.gc.review-delay) has passed since queued_at:
-- the delay is applied when claiming, so a changed setting applies to the whole backlog. How the collector and
-- the API serialize on row locks is explained in PostgresGarbageCollection.

-- What each manifest references, indexed from the referenced side: "does anything reference this?" is one index
-- probe. A referenced blob row cannot be deleted (NO ACTION): the database itself refuses a wrong collection.
CREATE TABLE manifest_blob (
    repository_id   bigint NOT NULL,
    manifest_digest text NOT NULL,
    blob_digest     text NOT NULL REFERENCES blob (digest),
    PRIMARY KEY (repository_id, manifest_digest, blob_digest),
    FOREIGN KEY (repository_id, manifest_digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX manifest_blob_blob_idx ON manifest_blob (blob_digest, repository_id);

-- An index's entries. A child may be deleted through the API while an index lists it, so there is no key on it.
CREATE TABLE manifest_child (
    repository_id bigint NOT NULL,
    parent_digest text NOT NULL,
    child_digest  text NOT NULL,
    FOREIGN KEY (repository_id, parent_digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE,
    PRIMARY KEY (repository_id, parent_digest, child_digest)
);
CREATE INDEX manifest_child_child_idx ON manifest_child (repository_id, child_digest);

-- Blobs that may have lost their last reference (or link). A new event on a queued blob moves queued_at forward
-- (ON CONFLICT DO UPDATE, never DO NOTHING: a review running now must not swallow the newer event).
CREATE TABLE gc_blob_review (
    digest       text PRIMARY KEY,
    event        text NOT NULL,
    queued_at    timestamptz NOT NULL DEFAULT now(),
    retry_at     timestamptz,
    review_count integer NOT NULL DEFAULT 0
);
CREATE INDEX gc_blob_review_queued_idx ON gc_blob_review (queued_at);

-- Manifests that may have lost their last tag, parent index, subject or tagged referrer.
CREATE TABLE gc_manifest_review (
    repository_id bigint NOT NULL,
    digest        text NOT NULL,
    event         text NOT NULL,
    queued_at     timestamptz NOT NULL DEFAULT now(),
    retry_at      timestamptz,
    review_count  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (repository_id, digest),
    FOREIGN KEY (repository_id, digest) REFERENCES manifest (repository_id, digest) ON DELETE CASCADE
);
CREATE INDEX gc_manifest_review_queued_idx ON gc_manifest_review (queued_at);

-- Blob bytes being deleted (collected, orphaned or quarantined): written in the transaction that decides the
-- deletion, removed once the bytes are gone. While one exists no upload may write that digest's bytes; one left
-- by a collector that died is retried after regfleet.gc.deletion-timeout.
CREATE TABLE blob_deletion (
    digest     text PRIMARY KEY,
    reason     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The digest an upload is writing into the blob store right now (between its byte commit and its row): the
-- collector, the sweep and the quarantine leave that digest's bytes alone meanwhile.
ALTER TABLE upload ADD COLUMN committing_digest text;
CREATE INDEX upload_committing_idx ON upload (committing_digest) WHERE committing_digest IS NOT NULL;

-- Backfill the references of the manifests stored so far, as the parser reads them (config, layers, index
-- entries). Content that is not JSON (corrupt at rest, refused on every read) references nothing.
CREATE FUNCTION pg_temp.manifest_json(content bytea) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN convert_from(content, 'UTF8')::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

CREATE FUNCTION pg_temp.json_array(value jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(value) = 'array' THEN value ELSE '[]'::jsonb END
$$;

INSERT INTO manifest_blob (repository_id, manifest_digest, blob_digest)
SELECT DISTINCT m.repository_id, m.digest, ref.digest
FROM manifest m
CROSS JOIN LATERAL pg_temp.manifest_json(m.content) AS j(doc)
CROSS JOIN LATERAL (
    SELECT j.doc -> 'config' ->> 'digest'
    UNION ALL
    SELECT layer ->> 'digest' FROM jsonb_array_elements(pg_temp.json_array(j.doc -> 'layers')) AS layer
) AS ref(digest)
JOIN blob b ON b.digest = ref.digest;

INSERT INTO manifest_child (repository_id, parent_digest, child_digest)
SELECT DISTINCT m.repository_id, m.digest, entry ->> 'digest'
FROM manifest m
CROSS JOIN LATERAL pg_temp.manifest_json(m.content) AS j(doc)
CROSS JOIN LATERAL jsonb_array_elements(pg_temp.json_array(j.doc -> 'manifests')) AS entry
WHERE entry ->> 'digest' IS NOT NULL;

-- Everything stored so far is reviewed once, a review delay from now: garbage left before this version is
-- collected like new garbage.
INSERT INTO gc_blob_review (digest, event) SELECT digest, 'migration' FROM blob;
INSERT INTO gc_manifest_review (repository_id, digest, event)
SELECT m.repository_id, m.digest, 'migration' FROM manifest m
WHERE NOT EXISTS (SELECT 1 FROM tag t WHERE t.repository_id = m.repository_id AND t.manifest_digest = m.digest);
