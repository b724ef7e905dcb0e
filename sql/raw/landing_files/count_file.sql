-- Add to this load's counts of one file (positional: path, rows loaded, rows rejected); the ledger
-- sums a file's rows (raw/landing_files/record.sql).
INSERT INTO landing_file_counts VALUES (?, ?, ?);
