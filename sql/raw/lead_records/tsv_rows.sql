-- Read one TSV lead file (tab-delimited, every value as text) into temp.lead_file_rows, in file
-- order; rows DuckDB cannot read go to temp.reject_errors instead (then insert_file_rows.sql).
SET preserve_insertion_order = true;
CREATE OR REPLACE TEMP TABLE lead_file_rows AS
SELECT * FROM read_csv($path, all_varchar = true, header = true, delim = '\t', store_rejects = true);
