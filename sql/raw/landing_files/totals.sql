-- Records loaded and rejected by this load, over all its files.
SELECT coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0) FROM landing_file_counts;
