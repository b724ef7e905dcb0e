-- marts.lead_summary: one row describing the latest lead-factory state.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.lead_summary AS
SELECT
    (SELECT count(*) FROM raw.lead_records) + (SELECT count(*) FROM raw.synthetic_leads) AS records_loaded,
    (SELECT count(*) FROM staging.lead_rejects) AS records_rejected,
    (SELECT count(*) FROM marts.lead_scores) AS leads_scored,
    (SELECT count(*) FROM marts.qualified_leads) AS qualified,
    (SELECT count(*) FROM marts.call_queue) AS queued,
    (SELECT count(*) FROM marts.qualified_leads AS q
      WHERE EXISTS (SELECT 1 FROM marts.suppression_list AS s WHERE s.phone_e164 = q.phone_e164)) AS suppressed_excluded,
    (SELECT count(*) FROM marts.call_queue WHERE is_synthetic) AS queued_synthetic,
    $min_score::DOUBLE AS min_score,
    $top_k::BIGINT AS top_k,
    current_timestamp::TIMESTAMP AS generated_at;
