-- marts.prompt_version_stats: how each prompt version, and each wording of each of its lines, did.
-- Only answered calls count (marts.call_features.answered: ended with at least one caller line).
--   grain 'version'   one row per prompt version (the version the brain pinned on the call).
--   grain 'wording'   per version, line (`line_key`, e.g. `email_ask`, `objections.price`) and wording
--                     (`variant_id`, 'base' = the incumbent): the answered calls in which an agent line
--                     carried that wording. An agent line carries a wording when its text matches the
--                     wording's pattern from the temp table `prompt_wordings` (prompt_version, line_key,
--                     variant_id, pattern: lower-case LIKE pattern, slots as '%', escape '\'), built by
--                     pipelines/prompts/stats.py from the version documents. Model-phrased lines match
--                     no wording and are not attributed.
--   grain 'objection' per version, objection class (`line_key` = 'objections.<class>') and the wording
--                     of the agent's next line (`variant_id`, NULL when it matched no wording of that
--                     answer): `objections_met` caller lines raising it, and what followed the answer —
--                     `followed_by_email` / `followed_by_dnc` (a later caller line of the same call gave
--                     an email / asked not to be called), `outcomes` (call outcome -> calls).
-- Rates: email_capture (an address in a caller line), direct_capture (a non-shared inbox), dnc (the
-- journey's outcome is dnc), each with its 95 % Wilson interval (sql/marts/prompt_version_stats/macros.sql).
CREATE OR REPLACE TABLE marts.prompt_version_stats AS
WITH answered AS (
    SELECT f.call_id,
           coalesce(f.prompt_version, 'unknown') AS prompt_version,
           f.email_captured,
           f.direct_email_captured,
           coalesce(f.outcome = 'dnc', false) AS dnc,
           coalesce(f.outcome, 'other') AS outcome
    FROM marts.call_features AS f
    WHERE f.answered
),
agent_lines AS (
    SELECT t.call_id, t.idx, lower(t.text) AS text, a.prompt_version
    FROM staging.transcript_lines AS t
    JOIN answered AS a USING (call_id)
    WHERE t.role = 'agent' AND t.text IS NOT NULL
),
heard AS (
    SELECT DISTINCT l.call_id, l.idx, w.line_key, w.variant_id
    FROM agent_lines AS l
    JOIN prompt_wordings AS w ON w.prompt_version = l.prompt_version AND l.text LIKE w.pattern ESCAPE '\'
),
objection_lines AS (
    SELECT s.call_id, s.idx, unnest(s.objections) AS objection
    FROM marts.line_signals AS s
    JOIN answered AS a USING (call_id)
    WHERE len(s.objections) > 0
),
answers AS (
    SELECT o.call_id, o.idx, o.objection,
           (SELECT min(l.idx) FROM agent_lines AS l WHERE l.call_id = o.call_id AND l.idx > o.idx) AS answer_idx
    FROM objection_lines AS o
),
answer_wordings AS (
    SELECT a.call_id, a.idx, a.objection, 'objections.' || a.objection AS line_key,
           (SELECT min(h.variant_id) FROM heard AS h
            WHERE h.call_id = a.call_id AND h.idx = a.answer_idx AND h.line_key = 'objections.' || a.objection) AS variant_id,
           EXISTS (SELECT 1 FROM marts.line_signals AS s
                   WHERE s.call_id = a.call_id AND s.idx > a.idx AND s.email IS NOT NULL) AS followed_by_email,
           EXISTS (SELECT 1 FROM marts.line_signals AS s
                   WHERE s.call_id = a.call_id AND s.idx > a.idx AND s.is_dnc) AS followed_by_dnc
    FROM answers AS a
),
version_rows AS (
    SELECT 'version' AS grain, a.prompt_version, NULL::VARCHAR AS line_key, NULL::VARCHAR AS variant_id,
           count(*) AS calls,
           count(*) FILTER (WHERE a.email_captured) AS email_captures,
           count(*) FILTER (WHERE a.direct_email_captured) AS direct_captures,
           count(*) FILTER (WHERE a.dnc) AS dnc_calls,
           (SELECT count(*) FROM objection_lines AS o
            JOIN answered AS x USING (call_id) WHERE x.prompt_version = a.prompt_version) AS objections_met,
           NULL::BIGINT AS followed_by_email,
           NULL::BIGINT AS followed_by_dnc,
           histogram(a.outcome) AS outcomes
    FROM answered AS a
    GROUP BY a.prompt_version
),
wording_rows AS (
    SELECT 'wording' AS grain, a.prompt_version, h.line_key, h.variant_id,
           count(*) AS calls,
           count(*) FILTER (WHERE a.email_captured) AS email_captures,
           count(*) FILTER (WHERE a.direct_email_captured) AS direct_captures,
           count(*) FILTER (WHERE a.dnc) AS dnc_calls,
           NULL::BIGINT AS objections_met,
           NULL::BIGINT AS followed_by_email,
           NULL::BIGINT AS followed_by_dnc,
           histogram(a.outcome) AS outcomes
    FROM (SELECT DISTINCT call_id, line_key, variant_id FROM heard) AS h
    JOIN answered AS a USING (call_id)
    GROUP BY a.prompt_version, h.line_key, h.variant_id
),
objection_rows AS (
    SELECT 'objection' AS grain, c.prompt_version, w.line_key, w.variant_id,
           count(DISTINCT w.call_id) AS calls,
           count(DISTINCT w.call_id) FILTER (WHERE c.email_captured) AS email_captures,
           count(DISTINCT w.call_id) FILTER (WHERE c.direct_email_captured) AS direct_captures,
           count(DISTINCT w.call_id) FILTER (WHERE c.dnc) AS dnc_calls,
           count(*) AS objections_met,
           count(*) FILTER (WHERE w.followed_by_email) AS followed_by_email,
           count(*) FILTER (WHERE w.followed_by_dnc) AS followed_by_dnc,
           histogram(c.outcome) AS outcomes
    FROM answer_wordings AS w
    JOIN answered AS c USING (call_id)
    GROUP BY c.prompt_version, w.line_key, w.variant_id
),
counted AS (
    SELECT * FROM version_rows
    UNION ALL SELECT * FROM wording_rows
    UNION ALL SELECT * FROM objection_rows
)
SELECT grain, prompt_version, line_key, variant_id, calls,
       email_captures,
       round(email_captures / calls, 4) AS email_capture_rate,
       round(eve_wilson_low(email_captures, calls), 4) AS email_capture_low,
       round(eve_wilson_high(email_captures, calls), 4) AS email_capture_high,
       direct_captures,
       round(direct_captures / calls, 4) AS direct_capture_rate,
       round(eve_wilson_low(direct_captures, calls), 4) AS direct_capture_low,
       round(eve_wilson_high(direct_captures, calls), 4) AS direct_capture_high,
       dnc_calls,
       round(dnc_calls / calls, 4) AS dnc_rate,
       round(eve_wilson_low(dnc_calls, calls), 4) AS dnc_low,
       round(eve_wilson_high(dnc_calls, calls), 4) AS dnc_high,
       objections_met, followed_by_email, followed_by_dnc, outcomes
FROM counted
ORDER BY prompt_version, CASE grain WHEN 'version' THEN 0 WHEN 'wording' THEN 1 ELSE 2 END,
         line_key NULLS FIRST, variant_id NULLS FIRST;
