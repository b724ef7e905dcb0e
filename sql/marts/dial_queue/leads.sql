-- dial_leads (temp): every lead of marts.call_queue once, with the first campaign-independent rule
-- that excludes it (synthetic, no phone, fictional number, suppression, closed outcome, no zone)
-- and its last contact (ledger attempt of any campaign, or a call in marts.lead_status).
-- Inputs: marts.call_queue, marts.lead_status, marts.suppression_list, raw.call_attempts_current.
-- Binds: $fictional_re.
CREATE OR REPLACE TEMP TABLE dial_leads AS
WITH last_attempt AS (
    SELECT lead_id, max(planned_at) AS last_at
    FROM raw.call_attempts_current
    WHERE NOT dry_run AND status IN ('planned', 'dispatched', 'unknown')
    GROUP BY lead_id
),
status AS (
    SELECT lead_id, any_value(status) AS status, max(last_call_ts) AS last_call_ts
    FROM marts.lead_status
    GROUP BY lead_id
),
suppressed AS (
    SELECT DISTINCT phone_e164 FROM marts.suppression_list
)
SELECT q.lead_id, q.phone_e164, q.business_name, q.vertical, q.city, q.state, q.timezone, q.email, q.source,
       coalesce(q.score, 0) AS score,
       coalesce(s.status, 'open') AS lead_status,
       greatest(la.last_at, s.last_call_ts) AS last_contact_at,
       CASE
           WHEN coalesce(q.is_synthetic, false) THEN 'synthetic'
           WHEN q.phone_e164 IS NULL THEN 'no_phone'
           WHEN regexp_full_match(q.phone_e164, $fictional_re) THEN 'fictional_number'
           WHEN sup.phone_e164 IS NOT NULL THEN 'suppressed'
           WHEN s.status IN ('dnc', 'email_captured', 'not_interested') THEN 'closed_' || s.status
           WHEN q.timezone IS NULL OR trim(q.timezone) = '' THEN 'timezone_unknown'
       END AS lead_reason
FROM marts.call_queue AS q
LEFT JOIN status AS s ON s.lead_id = q.lead_id
LEFT JOIN suppressed AS sup ON sup.phone_e164 = q.phone_e164
LEFT JOIN last_attempt AS la ON la.lead_id = q.lead_id;
