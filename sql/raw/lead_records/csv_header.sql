-- The header of one CSV lead file (delimiter sniffed): no rows, just the column names.
SELECT * FROM read_csv($path, all_varchar = true, header = true, ignore_errors = true) LIMIT 0;
