-- marts.dial_queue: who each campaign may dial right now ($now), best first — the candidates no
-- rule excludes (dial_queue/candidates.sql), within what is left of the campaign's daily cap for the
-- lead's local day (dial_cap_used: the ledger's running count). The dispatcher re-checks every
-- rule right before each call. Binds: $now.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TEMP TABLE dial_ranked AS
SELECT d.campaign, d.lead_id, d.score, d.local_day, d.attempts,
       row_number() OVER (PARTITION BY d.campaign, d.local_day ORDER BY d.score DESC, d.lead_id) AS rank_in_day,
       greatest(c.daily_cap - coalesce(u.used, 0), 0) AS cap_remaining
FROM dial_candidates AS d
JOIN dial_campaigns AS c USING (campaign)
LEFT JOIN dial_cap_used AS u ON u.campaign = d.campaign AND u.local_day = d.local_day
WHERE d.reason IS NULL;
CREATE OR REPLACE TABLE marts.dial_queue AS
SELECT r.campaign,
       row_number() OVER (PARTITION BY r.campaign ORDER BY r.score DESC, r.lead_id) AS dial_rank,
       r.lead_id, l.phone_e164, l.business_name, l.vertical, l.city, l.state, l.timezone, l.email, l.source,
       r.score, r.attempts, l.last_contact_at, r.local_day, r.cap_remaining,
       CAST($now AS TIMESTAMP) AS built_at
FROM dial_ranked AS r
JOIN dial_leads AS l USING (lead_id)
WHERE r.rank_in_day <= r.cap_remaining
ORDER BY r.campaign, dial_rank;
