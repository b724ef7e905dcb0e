-- The header of one TSV lead file: no rows, just the column names.
SELECT * FROM read_csv($path, all_varchar = true, header = true, delim = '\t', ignore_errors = true) LIMIT 0;
