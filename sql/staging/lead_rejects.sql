-- staging.lead_rejects: every lead input that did not become (part of) a staging.leads row, with
-- the reason — whole files and unreadable rows from ingest, plus records staging refused.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE OR REPLACE TABLE staging.lead_rejects AS
SELECT source, source_file, record_no, 'ingest' AS stage, reason, detail, NULL::JSON AS record, rejected_at
FROM raw.lead_ingest_rejects
WHERE source <> 'dnc'
UNION ALL
SELECT f.source, f.source_file, f.record_no, 'staging' AS stage, f.reject_reason AS reason, NULL AS detail, r.record,
       current_timestamp::TIMESTAMP AS rejected_at
FROM lead_fields AS f
JOIN (   -- the raw record by row_id (the rule of staging/leads/fields.sql)
    SELECT rowid * 2 AS row_id, record FROM raw.lead_records
    UNION ALL
    SELECT rowid * 2 + 1 AS row_id, record FROM raw.synthetic_leads
) AS r ON r.row_id = f.row_id
WHERE f.reject_reason IS NOT NULL;
