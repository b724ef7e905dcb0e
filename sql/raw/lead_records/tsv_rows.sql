-- Read one TSV lead file (tab-delimited, every value as text) into temp.lead_file_rows, in file
-- order, each row one struct `cells` packed from its columns whatever their names (a file column named
-- rowid cannot hide the temp table's rowid, which numbers the rows, nor one named like an alias
-- stand in for the row); rows DuckDB cannot read go to temp.reject_errors instead (then insert_file_rows.sql).
SET preserve_insertion_order = true;
CREATE OR REPLACE TEMP TABLE lead_file_rows AS
SELECT struct_pack(*COLUMNS(*)) AS cells FROM read_csv($path, all_varchar = true, header = true, delim = '\t', store_rejects = true);
