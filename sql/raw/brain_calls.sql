-- raw.brain_calls: one row per brain call record (contracts/schemas/call_record.v1.schema.json),
-- from landing/brain_calls/<yyyy-mm-dd>/<call_id>.json (group `calls`). Records that fail the
-- JSON Schema go to raw.call_rejects with the validation message instead.
-- call_id is unique by construction (raw/brain_calls/upsert.sql merges by call_id); there is no
-- PRIMARY KEY because DuckLake has none: the blocking asset check `call_id_unique` asserts it.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.brain_calls (
    call_id         VARCHAR   NOT NULL,  -- unique (see above)
    record          JSON      NOT NULL,  -- the record exactly as the brain wrote it
    source_file     VARCHAR   NOT NULL,
    started_at      TIMESTAMP NOT NULL,  -- UTC
    ended_at        TIMESTAMP NOT NULL,  -- UTC
    synthetic       BOOLEAN   NOT NULL,
    file_mtime_ns   BIGINT    NOT NULL,
    first_seen      TIMESTAMP NOT NULL,  -- UTC
    last_updated    TIMESTAMP NOT NULL   -- UTC
);
