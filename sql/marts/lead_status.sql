-- marts.lead_status: one row per lead of staging.leads — where the conversation with it stands.
--   status: dnc            any call of the lead ended dnc (sticky: never called again);
--           email_captured any call captured an email;
--           callback / not_interested  the most recent call with one of those outcomes;
--           open           nothing decisive yet (including leads never called).
--   attempts: calls matched to the lead; last_call_ts: start of its latest call.
CREATE OR REPLACE TABLE marts.lead_status AS
WITH per_lead AS (
    SELECT lead_id,
           count(*) AS attempts,
           max(start_ts) AS last_call_ts,
           arg_max(outcome, {'ts': outcome_ts, 'call_id': call_id}) AS last_outcome,
           bool_or(outcome = 'dnc') AS any_dnc,
           bool_or(outcome = 'email_captured') AS any_email,
           arg_max(captured_email, {'ts': outcome_ts, 'call_id': call_id})
               FILTER (WHERE captured_email IS NOT NULL AND outcome <> 'dnc') AS captured_email,
           arg_max(outcome, {'ts': outcome_ts, 'call_id': call_id})
               FILTER (WHERE outcome IN ('callback', 'not_interested')) AS last_disposition
    FROM marts.customer_journeys
    WHERE lead_id IS NOT NULL
    GROUP BY lead_id
),
leads AS (
    SELECT lead_id, any_value(phone_e164) AS phone_e164, any_value(business_name) AS business_name,
           bool_or(coalesce(is_synthetic, false)) AS is_synthetic
    FROM staging.leads
    WHERE lead_id IS NOT NULL
    GROUP BY lead_id
)
SELECT l.lead_id,
       l.phone_e164,
       l.business_name,
       l.is_synthetic,
       CASE WHEN p.any_dnc THEN 'dnc'
            WHEN p.any_email THEN 'email_captured'
            WHEN p.last_disposition IS NOT NULL THEN p.last_disposition
            ELSE 'open' END AS status,
       coalesce(p.attempts, 0) AS attempts,
       p.last_call_ts,
       p.last_outcome,
       CASE WHEN p.any_dnc THEN NULL ELSE p.captured_email END AS captured_email
FROM leads AS l
LEFT JOIN per_lead AS p USING (lead_id)
ORDER BY l.lead_id;
