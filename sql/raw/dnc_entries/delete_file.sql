-- Forget one DNC file's numbers ($source_file) before it is re-read.
DELETE FROM raw.dnc_entries WHERE source_file = $source_file;
