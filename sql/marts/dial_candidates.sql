-- dial_candidates (temp): every lead of marts.call_queue × every loaded campaign, with the first
-- rule that excludes it (NULL = dialable). Rule order: safety first (synthetic, fictional,
-- country, suppression, closed outcome), then the campaign's filters, the lead's zone, weekday and
-- window (dial_zone_clock, computed by pipelines/campaigns/rules.py for each zone at $now),
-- attempts and the minimum gap (ledger + calls).
-- Inputs: marts.call_queue, marts.lead_status, marts.suppression_list, raw.call_attempts_current,
-- dial_campaigns and dial_zone_clock (registered by pipelines/campaigns/queue.py).
-- Binds: $now (UTC), $fictional_re.
CREATE OR REPLACE TEMP TABLE dial_candidates AS
WITH ledger AS (
    SELECT * FROM raw.call_attempts_current WHERE NOT dry_run
),
attempts AS (
    SELECT campaign, lead_id, count(*) AS n
    FROM ledger
    WHERE status IN ('planned', 'dispatched', 'unknown', 'failed')
    GROUP BY campaign, lead_id
),
last_attempt AS (
    SELECT lead_id, max(planned_at) AS last_at
    FROM ledger
    WHERE status IN ('planned', 'dispatched', 'unknown')
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
SELECT c.campaign,
       q.queue_position, q.lead_id, q.phone_e164, q.business_name, q.vertical, q.city, q.state, q.timezone,
       q.email, q.source, q.score,
       coalesce(s.status, 'open') AS lead_status,
       coalesce(a.n, 0) AS attempts,
       greatest(la.last_at, s.last_call_ts) AS last_contact_at,
       z.local_day,
       CASE
           WHEN coalesce(q.is_synthetic, false) THEN 'synthetic'
           WHEN q.phone_e164 IS NULL THEN 'no_phone'
           WHEN regexp_full_match(q.phone_e164, $fictional_re) THEN 'fictional_number'
           WHEN NOT list_bool_or(list_transform(c.calling_codes, lambda x: starts_with(q.phone_e164, x)))
               THEN 'number_not_in_countries'
           WHEN sup.phone_e164 IS NOT NULL THEN 'suppressed'
           WHEN s.status IN ('dnc', 'email_captured', 'not_interested') THEN 'closed_' || s.status
           WHEN len(c.states) > 0 AND NOT list_contains(c.states, upper(q.state)) THEN 'filter_state'
           WHEN len(c.verticals) > 0 AND NOT list_contains(c.verticals, lower(q.vertical)) THEN 'filter_vertical'
           WHEN len(c.sources) > 0 AND NOT list_contains(c.sources, lower(q.source)) THEN 'filter_source'
           WHEN len(c.timezones) > 0 AND NOT list_contains(c.timezones, q.timezone) THEN 'filter_timezone'
           WHEN coalesce(q.score, 0) < c.min_score THEN 'filter_min_score'
           WHEN q.timezone IS NULL OR trim(q.timezone) = '' THEN 'timezone_unknown'
           WHEN z.blocked_reason IS NOT NULL THEN z.blocked_reason
           WHEN coalesce(a.n, 0) >= c.max_attempts THEN 'attempts_exhausted'
           WHEN greatest(la.last_at, s.last_call_ts) > $now - to_seconds(CAST(c.min_gap_hours * 3600 AS BIGINT))
               THEN 'attempted_too_recently'
       END AS reason
FROM marts.call_queue AS q
CROSS JOIN dial_campaigns AS c
LEFT JOIN status AS s ON s.lead_id = q.lead_id
LEFT JOIN suppressed AS sup ON sup.phone_e164 = q.phone_e164
LEFT JOIN attempts AS a ON a.campaign = c.campaign AND a.lead_id = q.lead_id
LEFT JOIN last_attempt AS la ON la.lead_id = q.lead_id
LEFT JOIN dial_zone_clock AS z ON z.campaign = c.campaign AND z.timezone = q.timezone;
