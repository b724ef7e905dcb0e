-- raw.brain_calls: one row per brain call record (contracts/schemas/call_record.v1.schema.json),
-- from landing/brain_calls/<yyyy-mm-dd>/<call_id>.json (group `calls`). Records that fail the
-- JSON Schema go to raw.call_rejects with the validation message instead.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.brain_calls (
    call_id         VARCHAR PRIMARY KEY,
    record          JSON      NOT NULL USING COMPRESSION zstd,  -- the record exactly as the brain wrote it
    source_file     VARCHAR   NOT NULL,
    started_at      TIMESTAMP NOT NULL,  -- UTC
    ended_at        TIMESTAMP NOT NULL,  -- UTC
    synthetic       BOOLEAN   NOT NULL,
    file_mtime_ns   BIGINT    NOT NULL,
    first_seen      TIMESTAMP NOT NULL,  -- UTC
    last_updated    TIMESTAMP NOT NULL   -- UTC
);
