-- marts.lead_summary: one row describing the latest lead-factory state; `warnings` counts the
-- cells left empty and file notes (staging.lead_warnings); `not_queued_reason` says why the call
-- queue is empty (NULL when it is not).
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.lead_summary AS
WITH counts AS (
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
        current_timestamp::TIMESTAMP AS generated_at,
        (SELECT count(*) FROM staging.lead_warnings) AS warnings,
        (SELECT count(*) FROM marts.lead_scores WHERE phone_e164 IS NOT NULL) AS scored_with_phone,
        (SELECT count(*) FROM marts.lead_scores WHERE ad_active AND high_ticket AND can_pay_5k_10k) AS icp_fit,
        (SELECT max(score) FROM marts.lead_scores WHERE ad_active AND high_ticket AND can_pay_5k_10k) AS icp_best,
        (SELECT count(*) FROM marts.qualified_leads WHERE phone_e164 IS NOT NULL) AS qualified_with_phone
)
SELECT * EXCLUDE (scored_with_phone, icp_fit, icp_best, qualified_with_phone),
    CASE
        WHEN queued > 0 THEN NULL
        WHEN records_loaded = 0 THEN 'no records loaded: every input was rejected'
        WHEN leads_scored = 0 THEN 'every record was rejected (see staging.lead_rejects)'
        WHEN scored_with_phone = 0 THEN 'no lead has a usable phone number (is there a phone column?)'
        WHEN top_k = 0 THEN 'TOP_K is 0'
        WHEN icp_fit = 0
            THEN 'no lead fits the ICP (ad-active, high-ticket vertical, can pay 5k-10k/mo)'
        WHEN qualified = 0
            THEN 'all ' || icp_fit || ' ICP-fit leads score below the minimum ' || min_score
                 || ' (best ' || icp_best || ')'
        WHEN qualified_with_phone = 0 THEN 'no qualified lead has a usable phone number'
        WHEN suppressed_excluded >= qualified_with_phone
            THEN 'every qualified lead''s number is on the suppression list'
        ELSE 'no callable qualified lead'
    END AS not_queued_reason
FROM counts;
