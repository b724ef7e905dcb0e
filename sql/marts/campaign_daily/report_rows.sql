-- The report's campaign figures: per campaign over every day of marts.campaign_daily, with the cap
-- used on the campaign's latest lead-local day.
SELECT campaign,
       sum(attempts) AS attempts,
       sum(dispatched) AS dispatched,
       sum(connected) AS connected,
       CASE WHEN sum(dispatched) > 0 THEN round(sum(connected) / sum(dispatched), 4) END AS connect_rate,
       arg_max(local_day, local_day) AS latest_day,
       arg_max(cap_used, local_day) AS cap_used,
       arg_max(cap, local_day) AS cap,
       sum(email_captured) AS email_captured,
       sum(dnc) AS dnc,
       sum(callback) AS callback,
       sum(not_interested) AS not_interested,
       sum(voicemail) AS voicemail,
       sum(no_answer) AS no_answer,
       sum(other) AS other,
       CASE WHEN sum(connected) > 0 THEN round(sum(email_captured) / sum(connected), 4) END AS capture_rate
FROM marts.campaign_daily
GROUP BY campaign
ORDER BY campaign;
