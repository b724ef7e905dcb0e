-- The header of one CSV/TSV file loaded into raw.lead_file_rows: its column names in file order
-- (raw.lead_file_records builds each record's JSON from them).
INSERT INTO raw.lead_file_headers VALUES ($source, $source_file, $columns);
