-- Numbers loaded from one DNC file ($source_file).
SELECT count(*) FROM raw.dnc_entries WHERE source_file = $source_file;
