-- Forget one lead file's cell and encoding warnings ($source_file) before it is re-read.
DELETE FROM raw.lead_ingest_warnings WHERE source_file = $source_file;
