-- A blob whose stored bytes failed verification on a read is quarantined: it is served as absent (a client that
-- pushes it again heals it) until a verified upload of the same digest replaces its bytes and clears the mark.
ALTER TABLE blob ADD COLUMN quarantined_at timestamptz;
