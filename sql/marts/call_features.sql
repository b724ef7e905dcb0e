-- marts.call_features: one row per call — the per-call facts revenue ops aggregates.
--   ended       call_status = 'ended';  answered = ended AND at least one user line.
--   email_captured / direct_email_captured: an address in a USER line (direct = not a shared inbox).
--   time_to_email_capture_s: seconds from call start to the end of the first user line holding an
--     address (needs word timings, else NULL); turns_to_capture: that line's rank among USER lines.
--   close_requested: a user line asking to wrap up; close_to_email_success: a direct address in that
--     line or a later user line.
--   first_response_latency_ms: end of the caller's first utterance -> start of the agent's next line
--     (transcript word timings). NULL without timings or when the agent line overlapped the caller
--     (started before the caller finished): that is a barge-in, not a reply latency.
--   latency_e2e_p50_ms / latency_llm_p50_ms: Retell's own per-call figures, kept beside it.
CREATE OR REPLACE TABLE marts.call_features AS
WITH user_summary AS (
    SELECT call_id, count(*) AS user_turns, min(idx) AS first_user_idx
    FROM staging.transcript_lines
    WHERE role = 'user'
    GROUP BY call_id
),
first_user AS (
    SELECT t.call_id, t.idx, t.end_s
    FROM staging.transcript_lines AS t
    JOIN user_summary AS u ON u.call_id = t.call_id AND u.first_user_idx = t.idx
),
first_reply AS (
    SELECT f.call_id, any_value(f.end_s) AS user_end_s, arg_min(a.start_s, a.idx) AS agent_start_s
    FROM first_user AS f
    JOIN staging.transcript_lines AS a ON a.call_id = f.call_id AND a.role = 'agent' AND a.idx > f.idx
    GROUP BY f.call_id
),
said AS (
    SELECT call_id,
           bool_or(email IS NOT NULL) AS email_captured,
           bool_or(email IS NOT NULL AND NOT email_is_generic) AS direct_email_captured,
           min(idx) FILTER (WHERE email IS NOT NULL) AS first_email_idx,
           min(idx) FILTER (WHERE is_close_request) AS close_idx,
           max(idx) FILTER (WHERE email IS NOT NULL AND NOT email_is_generic) AS last_direct_email_idx,
           list_sort(list_distinct(flatten(list(objections)))) AS objections
    FROM marts.line_signals
    GROUP BY call_id
),
capture_line AS (
    SELECT s.call_id, l.end_s AS time_to_email_capture_s, l.user_turn AS turns_to_capture
    FROM said AS s
    JOIN marts.line_signals AS l ON l.call_id = s.call_id AND l.idx = s.first_email_idx
)
SELECT c.call_id,
       CAST(c.start_ts AS DATE) AS day,
       c.campaign_id,
       c.prompt_version,
       c.is_synthetic,
       c.start_ts,
       j.outcome,
       coalesce(c.call_status = 'ended', false) AS ended,
       coalesce(c.call_status = 'ended', false) AND coalesce(u.user_turns, 0) > 0 AS answered,
       coalesce(u.user_turns, 0) AS user_turns,
       coalesce(s.email_captured, false) AS email_captured,
       coalesce(s.direct_email_captured, false) AS direct_email_captured,
       cl.time_to_email_capture_s,
       cl.turns_to_capture,
       s.close_idx IS NOT NULL AS close_requested,
       coalesce(s.close_idx IS NOT NULL AND s.last_direct_email_idx >= s.close_idx, false) AS close_to_email_success,
       CASE WHEN r.agent_start_s >= r.user_end_s
            THEN round((r.agent_start_s - r.user_end_s) * 1000.0, 1) END AS first_response_latency_ms,
       c.latency_e2e_p50_ms,
       c.latency_llm_p50_ms,
       coalesce(s.objections, []::VARCHAR[]) AS objections
FROM staging.calls AS c
LEFT JOIN marts.customer_journeys AS j USING (call_id)
LEFT JOIN user_summary AS u USING (call_id)
LEFT JOIN said AS s USING (call_id)
LEFT JOIN capture_line AS cl USING (call_id)
LEFT JOIN first_reply AS r USING (call_id)
ORDER BY c.call_id;
