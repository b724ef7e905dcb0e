-- Copy the rows DuckDB could not read from the staged file (bad encoding, wrong column count).
INSERT INTO raw.lead_ingest_rejects
SELECT $source, $source_file, line,
       lower(error_type::VARCHAR) || ': ' || split_part(error_message, chr(10), 1),
       left(csv_line, 500), $now
FROM temp.reject_errors;
