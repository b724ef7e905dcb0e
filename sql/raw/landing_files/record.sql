-- Record this load's files in the ledger (size + mtime as read, counts from landing_file_counts).
INSERT OR REPLACE INTO raw.landing_files (path, kind, size_bytes, mtime_ns, rows_loaded, rows_rejected, ingested_at)
SELECT f.path, f.kind, f.size_bytes, f.mtime_ns, coalesce(c.rows_loaded, 0), coalesce(c.rows_rejected, 0), $now
FROM landing_batch_files AS f
LEFT JOIN landing_file_counts AS c ON c.path = f.path;
