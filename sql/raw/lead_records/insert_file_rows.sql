-- The rows of one lead file (temp.lead_file_rows, from csv_rows.sql / tsv_rows.sql) into
-- raw.lead_records, each row (its struct `cells`) as a JSON object of its own columns. record_no
-- is the row's position in the temp table (rowids are contiguous in file order there, but start
-- high inside a transaction, hence the min): `row_number() OVER ()` straight over read_csv ran on
-- one core (3.0-3.2 s of wall against 2.5 s for read + insert at 1M rows). The caller drops
-- temp.lead_file_rows.
INSERT INTO raw.lead_records
SELECT $source, $source_file, rowid - (SELECT min(rowid) FROM temp.lead_file_rows) + 1 AS record_no,
       to_json(cells) AS record, $now
FROM temp.lead_file_rows;
