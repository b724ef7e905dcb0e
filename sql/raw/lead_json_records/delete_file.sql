-- Forget one lead file's JSON records ($source_file) before it is re-read.
DELETE FROM raw.lead_json_records WHERE source_file = $source_file;
