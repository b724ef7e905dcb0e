-- raw.retell_calls: one row per Retell call_id, the best version of the call object seen so far
-- (group `calls`). Fed by every landing file: get-call JSON synced from the API
-- (landing/retell_calls/api/**/*.jsonl), synthetic calls (landing/retell_calls/synthetic/**/*.jsonl)
-- and signed webhook events (landing/retell_webhooks/**/*.json, the event's `call` object).
-- A newer version replaces the kept one only when it is at least as complete (analysis > final
-- status > transcript) and not older, so duplicates and re-deliveries are harmless.
-- call_id is unique by construction (raw/retell_calls/upsert.sql deletes and re-inserts each call it
-- replaces, in one transaction); there is no PRIMARY KEY (ON CONFLICT on 100k wide rows is twice as
-- slow as delete + insert, and DuckLake has no keys): the blocking asset check `call_id_unique`
-- asserts it. `raw` is the JSON text (VARCHAR): already validated by the loader, so it is not
-- parsed a second time on insert; every JSON function reads it as is.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.retell_calls (
    call_id             VARCHAR   NOT NULL,  -- unique (see above)
    raw                 VARCHAR   NOT NULL,  -- JSON text of the call object exactly as landed
    source              VARCHAR   NOT NULL,  -- source of the kept version: api | webhook | synthetic
    seen_sources        VARCHAR[] NOT NULL,  -- every source that delivered this call
    source_file         VARCHAR   NOT NULL,  -- landing file of the kept version
    webhook_event       VARCHAR,             -- call_started | call_ended | call_analyzed | ... (webhook versions)
    call_status         VARCHAR,
    start_timestamp_ms  BIGINT,
    has_analysis        BOOLEAN   NOT NULL,
    completeness        INTEGER   NOT NULL,  -- 4*analysis + 2*final status + 1*transcript_object
    version_mtime_ns    BIGINT    NOT NULL,  -- mtime of the kept version's file (newest wins a tie)
    first_seen          TIMESTAMP NOT NULL,  -- UTC, first landing of this call
    last_updated        TIMESTAMP NOT NULL   -- UTC, landing time of the kept version
);
