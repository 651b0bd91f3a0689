-- Whole-store verification (regfleet verify): progress per digest range, so a verify that stops continues where it
-- was and several processes can share one run. Range bounds and cursors compare in byte order (COLLATE "C"), whatever
-- the database's locale; these indexes serve the walks in that order.
CREATE INDEX manifest_digest_c_idx ON manifest (digest COLLATE "C", repository_id);
CREATE INDEX blob_digest_c_idx ON blob (digest COLLATE "C");

CREATE TABLE verify_run (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deep        boolean NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);

-- One row per run, kind and range; last_key is the cursor after the last page recorded (null: not started).
CREATE TABLE verify_range (
    run_id      bigint NOT NULL REFERENCES verify_run (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('manifest', 'blob')),
    range_index int NOT NULL,
    last_key    text COLLATE "C",
    done        boolean NOT NULL DEFAULT false,
    checked     bigint NOT NULL DEFAULT 0,
    bytes       bigint NOT NULL DEFAULT 0,
    lease_owner text,
    lease_until timestamptz,
    PRIMARY KEY (run_id, kind, range_index)
);

CREATE TABLE verify_failure (
    run_id     bigint NOT NULL REFERENCES verify_run (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    digest     text COLLATE "C" NOT NULL,
    repository text COLLATE "C" NOT NULL DEFAULT '',
    detail     text NOT NULL,
    found_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, kind, digest, repository)
);
