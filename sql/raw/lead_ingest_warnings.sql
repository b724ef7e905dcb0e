-- raw.lead_ingest_warnings: what ingest noticed about a file or record it still loaded (e.g. the
-- file was not UTF-8 and was read as cp1252). record_no / field NULL for a file-level warning.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.lead_ingest_warnings (
    source       VARCHAR   NOT NULL,
    source_file  VARCHAR   NOT NULL,
    record_no    BIGINT,
    field        VARCHAR,
    value        VARCHAR,
    reason       VARCHAR   NOT NULL,
    warned_at    TIMESTAMP NOT NULL
);
