-- Load one TSV lead file (tab-delimited, every value as text) into raw.lead_records, each row as a
-- JSON object of its own columns; rows DuckDB cannot read go to temp.reject_errors instead.
INSERT INTO raw.lead_records
SELECT $source, $source_file, row_number() OVER () AS record_no, to_json(s) AS record, $now
FROM read_csv($path, all_varchar = true, header = true, delim = '\t', store_rejects = true) AS s;
