-- Forget one lead file's records ($source_file) before it is re-read.
DELETE FROM raw.lead_records WHERE source_file = $source_file;
