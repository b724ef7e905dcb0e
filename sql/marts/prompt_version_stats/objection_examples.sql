-- Real caller lines per objection class (a query, not a table): the examples a Gemini-written
-- challenger wording is shown. Newest calls first, at most $per_class lines per class, answered
-- calls of $prompt_version only; lines are cut to 200 characters.
WITH lines AS (
    SELECT unnest(s.objections) AS objection, left(t.text, 200) AS text, f.start_ts
    FROM marts.line_signals AS s
    JOIN staging.transcript_lines AS t ON t.call_id = s.call_id AND t.idx = s.idx
    JOIN marts.call_features AS f ON f.call_id = s.call_id
    WHERE f.answered AND f.prompt_version = $prompt_version AND len(s.objections) > 0
)
SELECT objection, text
FROM (SELECT objection, text, row_number() OVER (PARTITION BY objection ORDER BY start_ts DESC NULLS LAST, text) AS rn
      FROM (SELECT DISTINCT ON (objection, text) objection, text, start_ts FROM lines))
WHERE rn <= $per_class
ORDER BY objection, rn;
