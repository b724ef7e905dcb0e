-- A whole DNC file rejected ($source_file, $reason: too large, unreadable…).
INSERT INTO raw.lead_ingest_rejects VALUES ('dnc', $source_file, NULL, $reason, NULL, $now);
