-- The dispatcher's hand-over (exported as $DATA_DIR/state/dial_queue.parquet): per campaign, the
-- leads dialable today apart from the clock — the dial queue plus the candidates held back only by
-- time (outside_window, weekday_not_allowed, attempted_too_recently, and the cap, which the
-- dispatcher counts itself) — best score first. The dispatcher applies every time rule at the
-- instant of each call, so a queue built in the morning serves the whole day without the
-- dispatcher ever waiting for the warehouse. A day can use at most daily_cap calls of a campaign,
-- so each (campaign, time zone) keeps its best 2 x daily_cap leads (the hourly rebuild refills).
-- Inputs: dial_candidates, dial_leads, dial_campaigns.
WITH held AS (
    SELECT d.campaign, d.lead_id, d.score, l.timezone,
           row_number() OVER (PARTITION BY d.campaign, l.timezone ORDER BY d.score DESC, d.lead_id) AS rank_in_zone
    FROM dial_candidates AS d
    JOIN dial_leads AS l USING (lead_id)
    WHERE d.reason IS NULL OR d.reason IN ('outside_window', 'weekday_not_allowed', 'attempted_too_recently')
)
SELECT h.campaign,
       row_number() OVER (PARTITION BY h.campaign ORDER BY h.score DESC, h.lead_id) AS dial_rank,
       l.lead_id, l.phone_e164, l.business_name, l.vertical, l.city, l.state, l.timezone, l.email, l.source,
       l.score, l.last_contact_at
FROM held AS h
JOIN dial_campaigns AS c USING (campaign)
JOIN dial_leads AS l USING (lead_id)
WHERE h.rank_in_zone <= 2 * c.daily_cap
