-- staging.transcript_lines: every utterance of every call, in order (group `calls`).
-- CONTRACT read by journeys and revenue ops: call_id, idx (0-based), role ('agent', 'user', other
-- Retell roles kept as-is), text, start_s / end_s (seconds from call start), source.
-- Retell's transcript_object wins (source 'retell'): start_s = first word's start, end_s = last
-- word's end (NULL when the line has no word timings). Calls without one fall back to the brain
-- record's turns (source 'brain'): the brain only knows when it saw a caller line (~ its end) and
-- when it started an agent line, so a user line gets end_s and an agent line start_s, the other NULL.
CREATE OR REPLACE TABLE staging.transcript_lines AS
WITH parsed AS (  -- one parse of each raw call: only transcript_object is materialised
    SELECT
        call_id,
        json_transform(
            raw,
            '{"transcript_object": [{"role": "VARCHAR", "content": "VARCHAR", "words": [{"start": "DOUBLE", "end": "DOUBLE"}]}]}'
        ).transcript_object AS lines
    FROM raw.retell_calls
),
retell AS (
    SELECT call_id, lines FROM parsed WHERE len(lines) > 0
),
retell_lines AS (
    SELECT call_id, unnest(lines) AS line, generate_subscripts(lines, 1) - 1 AS idx
    FROM retell
),
brain AS (
    SELECT
        b.call_id,
        b.started_at,
        json_transform(
            json_extract(b.record, '$.turns'),
            '[{"role": "VARCHAR", "text": "VARCHAR", "ts": "TIMESTAMP"}]'
        ) AS turns
    FROM raw.brain_calls AS b
    -- completeness bit 1 = the Retell version has a transcript_object (sql/raw/retell_calls/candidates.sql)
    ANTI JOIN (SELECT call_id FROM raw.retell_calls WHERE completeness % 2 = 1) AS r ON r.call_id = b.call_id
),
brain_lines AS (
    SELECT call_id, started_at, unnest(turns) AS turn, generate_subscripts(turns, 1) - 1 AS idx
    FROM brain
)
SELECT
    call_id,
    idx::INTEGER AS idx,
    line.role AS role,
    line.content AS text,
    line.words[1].start AS start_s,
    line.words[-1]."end" AS end_s,
    'retell' AS source
FROM retell_lines
UNION ALL
SELECT
    call_id,
    idx::INTEGER AS idx,
    turn.role AS role,
    turn.text AS text,
    CASE WHEN turn.role <> 'user' THEN epoch(turn.ts) - epoch(started_at) END AS start_s,
    CASE WHEN turn.role = 'user' THEN epoch(turn.ts) - epoch(started_at) END AS end_s,
    'brain' AS source
FROM brain_lines;
