-- Forget one CSV/TSV file's typed rows ($source_file) before it is re-read.
DELETE FROM raw.lead_file_rows WHERE source_file = $source_file;
