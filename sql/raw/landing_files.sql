-- raw.landing_files: the ledger of landing-zone files already ingested (group `calls`).
-- A file is read again only when its size or mtime changed; re-reading is harmless because every
-- load upserts by call_id. One row per file path: unique by construction
-- (raw/landing_files/record.sql merges by path); no PRIMARY KEY because DuckLake has none, the
-- asset checks `landing_file_paths_unique` of raw.retell_calls and raw.brain_calls assert it.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.landing_files (
    path           VARCHAR NOT NULL,      -- absolute path of the landing file (unique, see above)
    kind           VARCHAR NOT NULL,      -- retell_jsonl | retell_webhook | brain_call
    size_bytes     BIGINT  NOT NULL,
    mtime_ns       BIGINT  NOT NULL,
    rows_loaded    INTEGER NOT NULL,      -- records accepted from this file
    rows_rejected  INTEGER NOT NULL,      -- records sent to raw.call_rejects
    ingested_at    TIMESTAMP NOT NULL     -- UTC
);
