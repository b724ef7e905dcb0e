-- This load's counts of one file (positional: path, rows loaded, rows rejected), kept for the ledger.
INSERT OR REPLACE INTO landing_file_counts VALUES (?, ?, ?);
