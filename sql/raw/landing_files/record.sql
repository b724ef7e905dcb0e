-- Record this load's files in the ledger (size + mtime as read, counts summed from
-- landing_file_counts): MERGE by path, so a re-read file keeps one row with its new figures.
MERGE INTO raw.landing_files AS t
USING (
    SELECT f.path, f.kind, f.size_bytes, f.mtime_ns,
           coalesce(c.rows_loaded, 0)::INTEGER AS rows_loaded, coalesce(c.rows_rejected, 0)::INTEGER AS rows_rejected
    FROM landing_batch_files AS f
    LEFT JOIN (
        SELECT path, sum(rows_loaded) AS rows_loaded, sum(rows_rejected) AS rows_rejected
        FROM landing_file_counts
        GROUP BY path
    ) AS c ON c.path = f.path
) AS s
ON t.path = s.path
WHEN MATCHED THEN UPDATE SET
    kind = s.kind, size_bytes = s.size_bytes, mtime_ns = s.mtime_ns,
    rows_loaded = s.rows_loaded, rows_rejected = s.rows_rejected, ingested_at = $now
WHEN NOT MATCHED THEN INSERT (path, kind, size_bytes, mtime_ns, rows_loaded, rows_rejected, ingested_at)
    VALUES (s.path, s.kind, s.size_bytes, s.mtime_ns, s.rows_loaded, s.rows_rejected, $now);
