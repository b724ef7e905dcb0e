-- Forget the rejects of the files this load re-reads (landing_batch_files).
DELETE FROM raw.call_rejects WHERE source_file IN (SELECT path FROM landing_batch_files);
