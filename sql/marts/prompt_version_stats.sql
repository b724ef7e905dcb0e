-- marts.prompt_version_stats: how each prompt version, and each wording of each of its lines, did.
-- Only answered calls count (marts.call_features.answered: ended with at least one caller line).
--   grain 'version'   one row per prompt version (the version the brain pinned on the call).
--   grain 'wording'   per version, line (`line_key`, e.g. `email_ask`, `objections.price`) and wording
--                     (`variant_id`, 'base' = the incumbent): the answered calls in which an agent line
--                     carried that wording. The brain writes on each agent turn of its record the lines
--                     it spoke with their variant ids (`turns[].prompt_lines`; temp view `prompt_call_records`
--                     over raw.brain_calls, set up by pipelines/prompts/stats.py;
--                     a record with `prompt_variants` has them): those calls are attributed by the
--                     recorded ids. Older records fall back to text: an agent line carries a wording
--                     when its text matches the wording's pattern from the temp table `prompt_wordings`
--                     (prompt_version, line_key, variant_id, pattern: lower-case LIKE pattern, slots as
--                     '%', escape '\'), built by pipelines/prompts/stats.py from the version documents.
--                     Model-phrased lines carry no wording (recorded: no prompt_lines; text: no match).
--   grain 'objection' per version, objection class (`line_key` = 'objections.<class>') and the wording
--                     of the agent's next line (`variant_id`, NULL when it matched no wording of that
--                     answer; for recorded calls only the wordings the record names can match): `objections_met` caller lines raising it, and what followed the answer —
--                     `followed_by_email` / `followed_by_dnc` (a later caller line of the same call gave
--                     an email / asked not to be called), `outcomes` (call outcome -> calls).
-- Rates: email_capture (an address in a caller line), direct_capture (a non-shared inbox), dnc (the
-- journey's outcome is dnc), each with its 95 % Wilson interval (sql/marts/prompt_version_stats/macros.sql).
-- Challengers: a wording row (not 'base') is compared with the 'base' wording of the same version and
-- line, a version row with its parent version (temp table `prompt_parents`, from the documents) when
-- the parent has calls: `compared_with`, `capture_z` (two-proportion z of the email capture rate,
-- positive = higher) and `capture_verdict` ('better' / 'worse' at 95 % two-sided, else
-- 'no clear difference'; NULL when nothing to compare or no variance). Why z, not Bayesian: docs/prompts.md.
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
recorded_turns AS (  -- records that name the wordings they spoke
    SELECT b.call_id,
           unnest(json_transform(json_extract(b.record, '$.turns'),
                                 '[{"prompt_lines": [{"line": "VARCHAR", "variant": "VARCHAR"}]}]')) AS turn
    FROM prompt_call_records AS b
    JOIN answered AS a USING (call_id)
    WHERE json_exists(b.record, '$.prompt_variants')
),
recorded_calls AS (
    SELECT DISTINCT call_id FROM recorded_turns
),
recorded AS (
    SELECT DISTINCT call_id, line.line AS line_key, line.variant AS variant_id
    FROM (SELECT call_id, unnest(turn.prompt_lines) AS line FROM recorded_turns)
    WHERE line.line IS NOT NULL AND line.variant IS NOT NULL
),
matched AS (
    SELECT DISTINCT l.call_id, l.idx, w.line_key, w.variant_id
    FROM agent_lines AS l
    JOIN prompt_wordings AS w ON w.prompt_version = l.prompt_version AND l.text LIKE w.pattern ESCAPE '\'
),
heard AS (  -- line-level (for the objection answers): text matches, within the recorded wordings if any
    SELECT m.* FROM matched AS m ANTI JOIN recorded_calls AS r USING (call_id)
    UNION ALL
    SELECT m.* FROM matched AS m SEMI JOIN recorded AS r USING (call_id, line_key, variant_id)
),
heard_calls AS (  -- call-level (for the wording grain): recorded ids, else text matches
    SELECT call_id, line_key, variant_id FROM recorded
    UNION
    SELECT m.call_id, m.line_key, m.variant_id FROM matched AS m ANTI JOIN recorded_calls AS r USING (call_id)
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
    FROM heard_calls AS h
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
),
compared AS (
    SELECT c.*, b.variant_id AS compared_with, b.calls AS other_calls, b.email_captures AS other_captures
    FROM counted AS c
    LEFT JOIN counted AS b
      ON c.grain = 'wording' AND b.grain = 'wording' AND c.variant_id <> 'base' AND b.variant_id = 'base'
     AND b.prompt_version = c.prompt_version AND b.line_key = c.line_key
    WHERE c.grain <> 'version'
    UNION ALL
    SELECT c.*, p.parent AS compared_with, b.calls AS other_calls, b.email_captures AS other_captures
    FROM counted AS c
    LEFT JOIN prompt_parents AS p ON p.version = c.prompt_version
    LEFT JOIN counted AS b ON b.grain = 'version' AND b.prompt_version = p.parent
    WHERE c.grain = 'version'
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
       objections_met, followed_by_email, followed_by_dnc, outcomes,
       CASE WHEN other_calls IS NOT NULL THEN compared_with END AS compared_with,
       round(eve_two_proportion_z(email_captures, calls, other_captures, other_calls), 3) AS capture_z,
       CASE WHEN other_calls IS NULL THEN NULL
            WHEN eve_two_proportion_z(email_captures, calls, other_captures, other_calls) >= 1.959963984540054 THEN 'better'
            WHEN eve_two_proportion_z(email_captures, calls, other_captures, other_calls) <= -1.959963984540054 THEN 'worse'
            WHEN eve_two_proportion_z(email_captures, calls, other_captures, other_calls) IS NOT NULL THEN 'no clear difference'
       END AS capture_verdict
FROM compared
ORDER BY prompt_version, CASE grain WHEN 'version' THEN 0 WHEN 'wording' THEN 1 ELSE 2 END,
         line_key NULLS FIRST, variant_id NULLS FIRST;
