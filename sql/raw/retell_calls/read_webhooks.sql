-- The whole content of the given webhook event files (one JSON event per file).
INSERT INTO retell_landing_docs
SELECT filename AS source_file, content AS doc
FROM read_text($files);
