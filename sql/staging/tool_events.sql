-- staging.tool_events: tool calls made during calls, one row per invocation (group `calls`).
-- CONTRACT read by journeys: call_id, idx (0-based order of invocations in the call), tool_call_id,
-- name, arguments (JSON object; Retell sends it as a JSON-encoded string), result (the matching
-- tool_call_result content), successful, source ('retell' | 'brain').
-- Retell's transcript_with_tool_calls wins; calls without tool items there fall back to the brain
-- record's tool_events.
CREATE OR REPLACE TABLE staging.tool_events AS
WITH parsed AS (  -- one parse of each raw call: only transcript_with_tool_calls is materialised
    SELECT
        call_id,
        json_transform(
            raw,
            '{"transcript_with_tool_calls": [{"role": "VARCHAR", "tool_call_id": "VARCHAR", "name": "VARCHAR",
                                              "arguments": "JSON", "content": "VARCHAR", "successful": "VARCHAR"}]}'
        ).transcript_with_tool_calls AS items
    FROM raw.retell_calls
),
items AS (
    SELECT call_id, unnest(items) AS item, generate_subscripts(items, 1) AS pos
    FROM parsed
    WHERE len(items) > 0
),
invocations AS (
    SELECT
        call_id,
        pos,
        item.tool_call_id AS tool_call_id,
        item.name AS name,
        CASE
            WHEN json_type(item.arguments) = 'VARCHAR'
                THEN coalesce(try_cast(item.arguments ->> '$' AS JSON), item.arguments)
            ELSE item.arguments
        END AS arguments
    FROM items
    WHERE item.role = 'tool_call_invocation'
),
results AS (
    SELECT
        call_id,
        item.tool_call_id AS tool_call_id,
        arg_min(item.content, pos) AS result,
        arg_min(TRY_CAST(item.successful AS BOOLEAN), pos) AS successful
    FROM items
    WHERE item.role = 'tool_call_result'
    GROUP BY ALL
),
retell_events AS (
    SELECT
        i.call_id,
        (row_number() OVER (PARTITION BY i.call_id ORDER BY i.pos) - 1)::INTEGER AS idx,
        i.tool_call_id,
        i.name,
        i.arguments,
        r.result,
        r.successful,
        'retell' AS source
    FROM invocations AS i
    LEFT JOIN results AS r ON r.call_id = i.call_id AND r.tool_call_id = i.tool_call_id
),
brain_items AS (
    SELECT
        b.call_id,
        unnest(json_extract(b.record, '$.tool_events[*]')) AS ev,
        generate_subscripts(json_extract(b.record, '$.tool_events[*]'), 1) - 1 AS idx
    FROM raw.brain_calls AS b
    WHERE json_array_length(b.record, '$.tool_events') > 0
      AND b.call_id NOT IN (SELECT call_id FROM retell_events)
)
SELECT call_id, idx, tool_call_id, name, arguments, result, successful, source
FROM retell_events
UNION ALL
SELECT
    call_id,
    idx::INTEGER AS idx,
    ev ->> 'tool_call_id' AS tool_call_id,
    ev ->> 'name' AS name,
    ev -> 'arguments' AS arguments,
    ev ->> 'result' AS result,
    try_cast(ev ->> 'successful' AS BOOLEAN) AS successful,
    'brain' AS source
FROM brain_items;
