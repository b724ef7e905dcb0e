-- marts.line_signals: the shared vocabulary's reading of caller lines, one row per USER line that
-- carries a signal (an email, a do-not-call request, a close request, an objection).
-- Signals come from marts.line_signal_cache (filled by pipelines/journeys/line_signals.py with
-- vocabulary.*), matched on md5(text). Agent lines are never read.
-- `user_turn` is the line's 1-based position among the call's user lines.
CREATE OR REPLACE TABLE marts.line_signals AS
WITH user_lines AS (
    SELECT call_id, idx, start_s, end_s, text,
           row_number() OVER (PARTITION BY call_id ORDER BY idx) AS user_turn
    FROM staging.transcript_lines
    WHERE role = 'user'
)
SELECT u.call_id,
       u.idx,
       u.user_turn,
       u.start_s,
       u.end_s,
       s.email,
       s.email_is_generic,
       s.email_spoken,
       s.is_dnc,
       s.is_close_request,
       CASE WHEN coalesce(s.objections, '') = '' THEN []::VARCHAR[]
            ELSE string_split(s.objections, ',') END AS objections
FROM user_lines AS u
JOIN marts.line_signal_cache AS s ON s.text_hash = md5(u.text) AND s.has_signal
WHERE u.text IS NOT NULL
ORDER BY u.call_id, u.idx;
