-- raw.synthetic_leads (columns defined by sql/raw/lead_records.sql, the lead-records contract):
-- the synthetic world's raw lead records. The synthetic world is this table's only writer, so its
-- "slice" is the whole table: a new generation (any seed / as_of) replaces the previous one.
-- Reads the frame `synthetic_leads_frame` registered by the asset; run inside one transaction.
DELETE FROM raw.synthetic_leads;
INSERT INTO raw.synthetic_leads (source, source_file, record_no, record, ingested_at)
SELECT
    CAST(source AS VARCHAR),
    CAST(source_file AS VARCHAR),
    CAST(record_no AS BIGINT),
    CAST(record AS JSON),
    CAST(ingested_at AS TIMESTAMP)
FROM synthetic_leads_frame
ORDER BY record_no;
