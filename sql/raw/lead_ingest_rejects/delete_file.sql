-- Forget one lead/DNC file's rejects ($source_file) before it is re-read.
DELETE FROM raw.lead_ingest_rejects WHERE source_file = $source_file;
