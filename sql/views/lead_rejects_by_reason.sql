-- Analyst view (serving copy): why lead inputs were rejected, per file and reason.
CREATE OR REPLACE VIEW main.lead_rejects_by_reason AS
SELECT source_file, stage, reason, count(*) AS rejects, min(record_no) AS first_record_no
FROM staging.lead_rejects
GROUP BY source_file, stage, reason;
