-- marts.campaign_daily: the campaign figures of revenue ops, per campaign and lead-local day, from
-- the attempt ledger (raw.call_attempts) joined to the calls it produced (by Retell call_id):
--   attempts        attempts that went to Retell or may have (dispatched, failed, unknown)
--   dispatched / failed / unknown / skipped   by the attempt's current status (dry runs apart)
--   cap / cap_used  the campaign file's daily cap now, and the attempts counting against it
--   connected       dispatched calls answered (marts.call_features.answered); connect_rate = / dispatched
--   outcome counts  email_captured, dnc, callback, not_interested, voicemail, no_answer, other
--   capture_rate    email_captured / connected
-- Inputs: raw.call_attempts_current, marts.call_features, marts.customer_journeys, dial_campaigns
-- (registered by the asset: the campaign files' caps).
CREATE OR REPLACE TABLE marts.campaign_daily AS
WITH attempts AS (
    SELECT a.*, f.answered, j.outcome
    FROM raw.call_attempts_current AS a
    LEFT JOIN marts.call_features AS f ON f.call_id = a.call_id
    LEFT JOIN marts.customer_journeys AS j ON j.call_id = a.call_id
    WHERE NOT a.dry_run
)
SELECT a.campaign,
       a.local_day,
       count(*) FILTER (WHERE status IN ('dispatched', 'failed', 'unknown')) AS attempts,
       count(*) FILTER (WHERE status = 'dispatched') AS dispatched,
       count(*) FILTER (WHERE status = 'failed') AS failed,
       count(*) FILTER (WHERE status = 'unknown') AS unknown,
       count(*) FILTER (WHERE status = 'skipped') AS skipped,
       any_value(c.daily_cap) AS cap,
       count(*) FILTER (WHERE status IN ('planned', 'dispatched', 'unknown')) AS cap_used,
       count(*) FILTER (WHERE status = 'dispatched' AND answered) AS connected,
       CASE WHEN count(*) FILTER (WHERE status = 'dispatched') > 0
            THEN count(*) FILTER (WHERE status = 'dispatched' AND answered)
                 / count(*) FILTER (WHERE status = 'dispatched') END AS connect_rate,
       count(*) FILTER (WHERE outcome = 'email_captured') AS email_captured,
       count(*) FILTER (WHERE outcome = 'dnc') AS dnc,
       count(*) FILTER (WHERE outcome = 'callback') AS callback,
       count(*) FILTER (WHERE outcome = 'not_interested') AS not_interested,
       count(*) FILTER (WHERE outcome = 'voicemail') AS voicemail,
       count(*) FILTER (WHERE outcome = 'no_answer') AS no_answer,
       count(*) FILTER (WHERE outcome = 'other') AS other,
       CASE WHEN count(*) FILTER (WHERE status = 'dispatched' AND answered) > 0
            THEN count(*) FILTER (WHERE outcome = 'email_captured')
                 / count(*) FILTER (WHERE status = 'dispatched' AND answered) END AS capture_rate
FROM attempts AS a
LEFT JOIN dial_campaigns AS c USING (campaign)
GROUP BY a.campaign, a.local_day
ORDER BY a.campaign, a.local_day;
