-- Every landing file already loaded, with the size and mtime it had (the rerun diff).
SELECT path, size_bytes, mtime_ns FROM raw.landing_files;
