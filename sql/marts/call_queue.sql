-- marts.call_queue: the best $top_k qualified leads that can be called — a valid E.164 phone, not
-- on marts.suppression_list — one row per phone, best first. `is_synthetic` marks fictional
-- numbers: a dialer must refuse them.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.call_queue AS
WITH callable AS (
    SELECT q.*,
           row_number() OVER (PARTITION BY q.phone_e164 ORDER BY q.score DESC, q.lead_id) AS rank_in_phone
    FROM marts.qualified_leads AS q
    WHERE q.phone_e164 IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM marts.suppression_list AS s WHERE s.phone_e164 = q.phone_e164)
)
SELECT
    row_number() OVER (ORDER BY score DESC, lead_id) AS queue_position,
    lead_id, business_name, phone_e164, email, website_domain, vertical, city, state, timezone,
    score, reasons, is_synthetic, source
FROM callable
WHERE rank_in_phone = 1
ORDER BY score DESC, lead_id
LIMIT $top_k;
