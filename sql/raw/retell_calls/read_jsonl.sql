-- Every line of the given JSONL landing files as text (one call object per line expected).
-- Read as one-column CSV with a delimiter (0x1F) that valid JSON can never contain raw, so each
-- physical line is one value; blank lines are skipped. Parsing happens in raw/retell_calls/candidates.sql
-- so a bad line becomes a reject instead of failing the whole file.
INSERT INTO retell_landing_docs
SELECT filename AS source_file, line AS doc
FROM read_csv($files, columns = {'line': 'VARCHAR'}, delim = $delim, quote = '', escape = '',
              header = false, auto_detect = false, filename = true, strict_mode = false,
              null_padding = true, max_line_size = $max_line_size)
WHERE line IS NOT NULL AND trim(line) <> '';
