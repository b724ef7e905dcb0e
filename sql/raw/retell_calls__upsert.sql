-- Upsert this load's candidate versions into raw.retell_calls: per call the most complete (then
-- newest) version of the load; it replaces the stored one only if at least as complete and not
-- older. seen_sources accumulate; first_seen keeps the earliest landing time.
CREATE OR REPLACE TEMP TABLE retell_best AS
WITH ranked AS (  -- ranking on the small columns only; the big call text is joined afterwards
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
    c.call_id, c.call AS raw, c.source, c.source_file, c.webhook_event, c.call_status, c.start_timestamp_ms,
    c.has_analysis, c.completeness, c.mtime_ns AS version_mtime_ns, r.seen_sources,
    make_timestamp(r.first_mtime_ns // 1000) AS first_seen,
    make_timestamp(c.mtime_ns // 1000) AS last_updated
FROM ranked AS r
JOIN retell_candidates AS c ON c.rowid = r.rid
WHERE r.rn = 1;

UPDATE raw.retell_calls AS t
SET seen_sources = list_sort(list_distinct(list_concat(t.seen_sources, b.seen_sources))),
    first_seen = least(t.first_seen, b.first_seen)
FROM retell_best AS b
WHERE t.call_id = b.call_id;

INSERT INTO raw.retell_calls AS t
    (call_id, raw, source, seen_sources, source_file, webhook_event, call_status, start_timestamp_ms,
     has_analysis, completeness, version_mtime_ns, first_seen, last_updated)
SELECT call_id, raw, source, list_sort(seen_sources), source_file, webhook_event, call_status,
       start_timestamp_ms, has_analysis, completeness, version_mtime_ns, first_seen, last_updated
FROM retell_best
ON CONFLICT (call_id) DO UPDATE SET
    raw = excluded.raw,
    source = excluded.source,
    source_file = excluded.source_file,
    webhook_event = excluded.webhook_event,
    call_status = excluded.call_status,
    start_timestamp_ms = excluded.start_timestamp_ms,
    has_analysis = excluded.has_analysis,
    completeness = excluded.completeness,
    version_mtime_ns = excluded.version_mtime_ns,
    last_updated = excluded.last_updated
WHERE excluded.completeness > t.completeness
   OR (excluded.completeness = t.completeness AND excluded.version_mtime_ns >= t.version_mtime_ns);

INSERT INTO landing_file_counts
SELECT source_file, count(*) FILTER (WHERE reject_reason IS NULL), count(*) FILTER (WHERE reject_reason IS NOT NULL)
FROM retell_candidates
GROUP BY source_file
ON CONFLICT (path) DO UPDATE SET rows_loaded = excluded.rows_loaded, rows_rejected = excluded.rows_rejected;
