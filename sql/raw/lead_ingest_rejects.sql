-- raw.lead_ingest_rejects: every lead/DNC file or record that could not be loaded, with the reason.
-- record_no is the line (CSV/TSV/JSONL) or position (JSON) in the file; NULL when the whole file
-- was rejected (missing, empty, too large, unreadable, no identity columns, HTTP error).
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.lead_ingest_rejects (
    source       VARCHAR   NOT NULL,  -- 'file', 'apify', 'http', 'dnc'
    source_file  VARCHAR   NOT NULL,
    record_no    BIGINT,
    reason       VARCHAR   NOT NULL,
    detail       VARCHAR,             -- the offending text (truncated), when there is one
    rejected_at  TIMESTAMP NOT NULL
);
