-- Classify every landing document read into retell_landing_docs: a candidate call version, or a
-- reject with its reason. Webhook events carry the call in `call`; JSONL lines are the call.
-- Built for 100k-call loads: each document is parsed once (one json_extract of every field the
-- checks need, wrapped in try() so invalid JSON gives NULL instead of an error); the checks then
-- look only at those small fragments, and the document text is never copied (doc_rid points at it).
CREATE OR REPLACE TEMP TABLE retell_candidates AS
WITH docs AS (
    SELECT
        d.rowid AS doc_rid, d.source_file, f.kind, f.source, f.mtime_ns, d.doc,
        try(json_extract(d.doc, ['$.call_id', '$.start_timestamp', '$.end_timestamp', '$.call_status',
                                 '$.call_analysis', '$.transcript_object[0]', '$.event', '$.call'])) AS top
    FROM retell_landing_docs AS d
    JOIN landing_batch_files AS f ON f.path = d.source_file
),
parsed AS (
    SELECT
        doc_rid, source_file, kind, source, mtime_ns, doc,
        top IS NOT NULL AS is_json,
        starts_with(ltrim(doc), '{') AS is_object,
        CASE WHEN kind = 'retell_webhook' THEN top[7] ->> '$' END AS webhook_event,
        CASE WHEN kind = 'retell_webhook' THEN top[8] END AS hook_call,
        CASE
            WHEN kind = 'retell_webhook' AND json_type(top[8]) = 'OBJECT'
                THEN json_extract(top[8], ['$.call_id', '$.start_timestamp', '$.end_timestamp', '$.call_status',
                                           '$.call_analysis', '$.transcript_object[0]'])
            ELSE top[1:6]
        END AS parts
    FROM docs
),
checked AS (
    SELECT
        *,
        CASE
            WHEN NOT is_json THEN 'invalid JSON'
            WHEN NOT is_object THEN 'not a JSON object'
            WHEN kind = 'retell_webhook' AND coalesce(json_type(hook_call), 'NULL') <> 'OBJECT'
                THEN 'webhook event without a `call` object'
            WHEN kind = 'retell_webhook' AND webhook_event IS NULL THEN 'webhook event without `event`'
            WHEN coalesce(json_type(parts[1]), 'NULL') <> 'VARCHAR' OR (parts[1] ->> '$') = ''
                THEN 'call_id missing or not a string'
            WHEN coalesce(json_type(parts[2]), 'NULL') NOT IN ('NULL', 'UBIGINT', 'BIGINT', 'DOUBLE')
                THEN 'start_timestamp is not a number'
            WHEN coalesce(json_type(parts[3]), 'NULL') NOT IN ('NULL', 'UBIGINT', 'BIGINT', 'DOUBLE')
                THEN 'end_timestamp is not a number'
            WHEN coalesce(json_type(parts[4]), 'NULL') NOT IN ('NULL', 'VARCHAR')
                THEN 'call_status is not a string'
            WHEN coalesce(json_type(parts[5]), 'NULL') NOT IN ('NULL', 'OBJECT')
                THEN 'call_analysis is not an object'
        END AS reject_reason
    FROM parsed
)
SELECT
    source_file,
    kind,
    source,
    mtime_ns,
    reject_reason,
    CASE WHEN reject_reason IS NOT NULL THEN left(doc, 300) END AS snippet,
    CASE WHEN reject_reason IS NULL THEN parts[1] ->> '$' END AS call_id,
    doc_rid,  -- the call text stays in retell_landing_docs (JSONL: the whole line) until inserted
    CASE WHEN reject_reason IS NULL AND kind = 'retell_webhook' THEN hook_call::VARCHAR END AS webhook_call,
    webhook_event,
    parts[4] ->> '$' AS call_status,
    TRY_CAST(parts[2] ->> '$' AS DOUBLE)::BIGINT AS start_timestamp_ms,
    coalesce(json_type(parts[5]) = 'OBJECT', false) AS has_analysis,
    (4 * coalesce(json_type(parts[5]) = 'OBJECT', false)::INTEGER
     + 2 * coalesce((parts[4] ->> '$') IN ('ended', 'error', 'not_connected'), false)::INTEGER
     + (parts[6] IS NOT NULL)::INTEGER) AS completeness
FROM checked;
