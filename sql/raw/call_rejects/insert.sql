-- One rejected landing record or file: source_file, kind, reason, snippet, rejected_at (positional).
INSERT INTO raw.call_rejects VALUES (?, ?, ?, ?, ?);
