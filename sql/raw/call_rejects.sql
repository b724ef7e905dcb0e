-- raw.call_rejects: landing-zone records that could not be loaded, with the reason (group `calls`).
-- Rows of a file are replaced whenever that file is re-read, so the table always describes the
-- current content of the landing zone. Nothing is silently dropped: a file's accepted + rejected
-- counts are in raw.landing_files.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.call_rejects (
    source_file  VARCHAR NOT NULL,   -- landing file path
    kind         VARCHAR NOT NULL,   -- retell_jsonl | retell_webhook | brain_call
    reason       VARCHAR NOT NULL,   -- e.g. 'invalid JSON', 'call_id missing or not a string', schema error
    snippet      VARCHAR,            -- the first 300 characters of the offending record
    rejected_at  TIMESTAMP NOT NULL  -- UTC
);
