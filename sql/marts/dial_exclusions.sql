-- marts.dial_exclusions: one row per (campaign, lead of the call queue) that marts.dial_queue does
-- not hold, with the reason — "why was this lead not called?". Reasons: synthetic, no_phone,
-- fictional_number, suppressed, closed_<status>, timezone_unknown, number_not_in_countries,
-- filter_<state|vertical|source|timezone|min_score>, timezone_invalid, weekday_not_allowed,
-- outside_window, attempts_exhausted, attempted_too_recently, daily_cap_reached. Binds: $now.
-- (Phone, zone and status of a lead: join marts.call_queue / marts.lead_status on lead_id.)
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.dial_exclusions AS
SELECT campaign, lead_id, reason, local_day, attempts, CAST($now AS TIMESTAMP) AS built_at
FROM dial_candidates
WHERE reason IS NOT NULL
UNION ALL
SELECT campaign, lead_id, 'daily_cap_reached' AS reason, local_day, attempts, CAST($now AS TIMESTAMP) AS built_at
FROM dial_ranked
WHERE rank_in_day > cap_remaining;
