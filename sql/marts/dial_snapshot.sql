-- The dispatcher's hand-over (exported as $DATA_DIR/state/dial_queue.parquet): per campaign, the
-- leads dialable today apart from the clock — the dial queue plus the candidates held back only by
-- time (outside_window, weekday_not_allowed, attempted_too_recently, and the cap, which the
-- dispatcher counts itself) — best score first. The dispatcher applies every time rule at the
-- instant of each call, so a queue built in the morning serves the whole day without the
-- dispatcher ever waiting for the warehouse. Inputs: dial_candidates, dial_leads.
SELECT d.campaign,
       row_number() OVER (PARTITION BY d.campaign ORDER BY d.score DESC, d.lead_id) AS dial_rank,
       l.lead_id, l.phone_e164, l.business_name, l.vertical, l.city, l.state, l.timezone, l.email, l.source,
       l.score, l.last_contact_at
FROM dial_candidates AS d
JOIN dial_leads AS l USING (lead_id)
WHERE d.reason IS NULL OR d.reason IN ('outside_window', 'weekday_not_allowed', 'attempted_too_recently')
