-- Read one CSV lead file (delimiter sniffed, every value as text) into temp.lead_file_rows, in file
-- order; rows DuckDB cannot read go to temp.reject_errors instead. raw/lead_records/insert_file_rows.sql
-- then numbers and stores them.
SET preserve_insertion_order = true;
CREATE OR REPLACE TEMP TABLE lead_file_rows AS
SELECT * FROM read_csv($path, all_varchar = true, header = true, store_rejects = true);
