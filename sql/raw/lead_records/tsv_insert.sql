-- Load one TSV lead file (tab-delimited, every value as text) into raw.lead_file_rows, the cells as
-- read: the placeholder below is filled in by pipelines/leads/files.py with the file's own column names (quoted
-- identifiers): each column named like a typed column of raw.lead_file_rows goes there, the others
-- into `other` (map($other_names, [cells])). Rows DuckDB cannot read go to temp.reject_errors.
INSERT INTO raw.lead_file_rows BY NAME
SELECT $source AS source, $source_file AS source_file, row_number() OVER () AS record_no, $now AS ingested_at,
       /*cells*/
FROM read_csv($path, all_varchar = true, header = true, delim = '\t', store_rejects = true) AS s;
