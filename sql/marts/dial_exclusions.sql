-- marts.dial_exclusions: one row per (campaign, lead of the call queue) that marts.dial_queue does
-- not hold, with the reason — "why was this lead not called?". Reasons: synthetic, no_phone,
-- fictional_number, number_not_in_countries, suppressed, closed_<status>, filter_<field>,
-- timezone_unknown, timezone_invalid, weekday_not_allowed, outside_window, attempts_exhausted,
-- attempted_too_recently, daily_cap_reached. Binds: $now.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.dial_exclusions AS
SELECT campaign, lead_id, phone_e164, timezone, local_day, attempts, last_contact_at, lead_status, reason,
       CAST($now AS TIMESTAMP) AS built_at
FROM dial_candidates
WHERE reason IS NOT NULL
UNION ALL
SELECT campaign, lead_id, phone_e164, timezone, local_day, attempts, last_contact_at, lead_status,
       'daily_cap_reached' AS reason, CAST($now AS TIMESTAMP) AS built_at
FROM dial_ranked
WHERE rank_in_day > cap_remaining;
