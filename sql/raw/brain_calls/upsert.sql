-- Upsert validated brain call records (temp table brain_records_batch, filled by the loader) into
-- raw.brain_calls: a newer file version of the same call replaces the stored record.
INSERT INTO raw.brain_calls AS t
    (call_id, record, source_file, started_at, ended_at, synthetic, file_mtime_ns, first_seen, last_updated)
SELECT call_id, record::JSON, source_file, started_at, ended_at, synthetic, file_mtime_ns,
       make_timestamp(file_mtime_ns // 1000), make_timestamp(file_mtime_ns // 1000)
FROM (
    SELECT *, row_number() OVER (PARTITION BY call_id ORDER BY file_mtime_ns DESC, source_file DESC) AS rn
    FROM brain_records_batch
)
WHERE rn = 1
ON CONFLICT (call_id) DO UPDATE SET
    record = excluded.record,
    source_file = excluded.source_file,
    started_at = excluded.started_at,
    ended_at = excluded.ended_at,
    synthetic = excluded.synthetic,
    file_mtime_ns = excluded.file_mtime_ns,
    last_updated = excluded.last_updated
WHERE excluded.file_mtime_ns >= t.file_mtime_ns;
