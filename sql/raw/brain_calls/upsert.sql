-- Upsert validated brain call records (temp table brain_records_batch, filled by the loader) into
-- raw.brain_calls: a newer file version of the same call replaces the stored record (MERGE by
-- call_id: the newest file of this load per call, and only if not older than the stored one).
MERGE INTO raw.brain_calls AS t
USING (
    SELECT call_id, record::JSON AS record, source_file, started_at, ended_at, synthetic, file_mtime_ns,
           make_timestamp(file_mtime_ns // 1000) AS landed_at
    FROM (
        SELECT *, row_number() OVER (PARTITION BY call_id ORDER BY file_mtime_ns DESC, source_file DESC) AS rn
        FROM brain_records_batch
    )
    WHERE rn = 1
) AS s
ON t.call_id = s.call_id
WHEN MATCHED AND s.file_mtime_ns >= t.file_mtime_ns THEN UPDATE SET
    record = s.record,
    source_file = s.source_file,
    started_at = s.started_at,
    ended_at = s.ended_at,
    synthetic = s.synthetic,
    file_mtime_ns = s.file_mtime_ns,
    last_updated = s.landed_at
WHEN NOT MATCHED THEN INSERT
    (call_id, record, source_file, started_at, ended_at, synthetic, file_mtime_ns, first_seen, last_updated)
    VALUES (s.call_id, s.record, s.source_file, s.started_at, s.ended_at, s.synthetic, s.file_mtime_ns,
            s.landed_at, s.landed_at);
