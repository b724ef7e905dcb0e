-- dial_candidates (temp, narrow): every lead × every loaded campaign with the first rule that
-- excludes it (NULL = dialable): the lead's own reason, the campaign's countries and filters, the
-- lead's zone, weekday and window (dial_zone_clock, computed by pipelines/campaigns/rules.py for
-- each zone at $now), this campaign's attempts and the minimum gap.
-- Inputs: dial_leads, dial_campaigns, dial_zone_clock, raw.call_attempts_current. Binds: $now.
CREATE OR REPLACE TEMP TABLE dial_candidates AS
WITH attempts AS (
    SELECT campaign, lead_id, count(*) AS n
    FROM raw.call_attempts_current
    WHERE NOT dry_run AND status IN ('planned', 'dispatched', 'unknown', 'failed')
    GROUP BY campaign, lead_id
)
SELECT c.campaign, l.lead_id, l.score, z.local_day, coalesce(a.n, 0) AS attempts,
       CASE
           WHEN l.lead_reason IS NOT NULL THEN l.lead_reason
           WHEN NOT list_bool_or(list_transform(c.calling_codes, lambda x: starts_with(l.phone_e164, x)))
               THEN 'number_not_in_countries'
           WHEN len(c.states) > 0 AND NOT list_contains(c.states, upper(l.state)) THEN 'filter_state'
           WHEN len(c.verticals) > 0 AND NOT list_contains(c.verticals, lower(l.vertical)) THEN 'filter_vertical'
           WHEN len(c.sources) > 0 AND NOT list_contains(c.sources, lower(l.source)) THEN 'filter_source'
           WHEN len(c.timezones) > 0 AND NOT list_contains(c.timezones, l.timezone) THEN 'filter_timezone'
           WHEN l.score < c.min_score THEN 'filter_min_score'
           WHEN z.blocked_reason IS NOT NULL THEN z.blocked_reason
           WHEN coalesce(a.n, 0) >= c.max_attempts THEN 'attempts_exhausted'
           WHEN l.last_contact_at > $now - to_seconds(CAST(c.min_gap_hours * 3600 AS BIGINT))
               THEN 'attempted_too_recently'
       END AS reason
FROM dial_leads AS l
CROSS JOIN dial_campaigns AS c
LEFT JOIN attempts AS a ON a.campaign = c.campaign AND a.lead_id = l.lead_id
LEFT JOIN dial_zone_clock AS z ON z.campaign = c.campaign AND z.timezone = l.timezone;
