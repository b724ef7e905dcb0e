-- Upsert this load's candidate versions into raw.retell_calls: per call the most complete (then
-- newest) version of the load; it replaces the stored one only if at least as complete and not
-- older (delete + insert: one row per call_id by construction). seen_sources accumulate;
-- first_seen keeps the earliest landing time. Runs inside the loader's transaction.
CREATE OR REPLACE TEMP TABLE retell_best AS
WITH ranked AS (  -- ranking on small columns only; the call text is joined at insert time
    SELECT
        rowid AS rid,
        call_id,
        list_distinct(list(source) OVER (PARTITION BY call_id)) AS seen_sources,
        min(mtime_ns) OVER (PARTITION BY call_id) AS first_mtime_ns,
        row_number() OVER (PARTITION BY call_id ORDER BY completeness DESC, mtime_ns DESC, source_file DESC) AS rn
    FROM retell_candidates
    WHERE reject_reason IS NULL
)
SELECT
    c.call_id, c.doc_rid, c.webhook_call, c.source, c.source_file, c.webhook_event, c.call_status, c.start_timestamp_ms,
    c.has_analysis, c.completeness, c.mtime_ns AS version_mtime_ns, r.seen_sources,
    make_timestamp(r.first_mtime_ns // 1000) AS first_seen,
    make_timestamp(c.mtime_ns // 1000) AS last_updated
FROM ranked AS r
JOIN retell_candidates AS c ON c.rowid = r.rid
WHERE r.rn = 1;

-- Versions already stored: merge what this load adds (sources, earliest landing); where the stored
-- version is better, keep its payload (this load's row then only carries the merged lists).
CREATE OR REPLACE TEMP TABLE retell_merged AS
SELECT
    b.call_id,
    CASE WHEN t.call_id IS NULL OR b.completeness > t.completeness
              OR (b.completeness = t.completeness AND b.version_mtime_ns >= t.version_mtime_ns)
         THEN true ELSE false END AS replace_payload,
    list_sort(list_distinct(list_concat(coalesce(t.seen_sources, []), b.seen_sources))) AS seen_sources,
    least(coalesce(t.first_seen, b.first_seen), b.first_seen) AS first_seen
FROM retell_best AS b
LEFT JOIN raw.retell_calls AS t ON t.call_id = b.call_id;

UPDATE raw.retell_calls AS t
SET seen_sources = m.seen_sources, first_seen = m.first_seen
FROM retell_merged AS m
WHERE t.call_id = m.call_id AND NOT m.replace_payload;

DELETE FROM raw.retell_calls
WHERE call_id IN (SELECT call_id FROM retell_merged WHERE replace_payload);

INSERT INTO raw.retell_calls
    (call_id, raw, source, seen_sources, source_file, webhook_event, call_status, start_timestamp_ms,
     has_analysis, completeness, version_mtime_ns, first_seen, last_updated)
SELECT b.call_id, coalesce(b.webhook_call, d.doc), b.source, m.seen_sources, b.source_file, b.webhook_event,
       b.call_status, b.start_timestamp_ms, b.has_analysis, b.completeness, b.version_mtime_ns, m.first_seen,
       b.last_updated
FROM retell_best AS b
JOIN retell_merged AS m ON m.call_id = b.call_id AND m.replace_payload
JOIN retell_landing_docs AS d ON d.rowid = b.doc_rid;

INSERT INTO landing_file_counts
SELECT source_file, count(*) FILTER (WHERE reject_reason IS NULL), count(*) FILTER (WHERE reject_reason IS NOT NULL)
FROM retell_candidates
GROUP BY source_file;
