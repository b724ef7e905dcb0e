-- Forget one CSV/TSV file's header ($source_file) before it is re-read.
DELETE FROM raw.lead_file_headers WHERE source_file = $source_file;
