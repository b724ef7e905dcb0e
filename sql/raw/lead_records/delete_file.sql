-- Forget one lead file's records ($source_file) before it is re-read: its JSON records, or its
-- typed rows and header (sql/raw/lead_records.sql).
DELETE FROM raw.lead_json_records WHERE source_file = $source_file;
DELETE FROM raw.lead_file_rows WHERE source_file = $source_file;
DELETE FROM raw.lead_file_headers WHERE source_file = $source_file;
