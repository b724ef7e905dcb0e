-- Rejected Retell landing records of this load (replaces the files' previous rejects: the loader
-- deletes them first, in the same transaction).
INSERT INTO raw.call_rejects (source_file, kind, reason, snippet, rejected_at)
SELECT source_file, kind, reject_reason, snippet, $now
FROM retell_candidates
WHERE reject_reason IS NOT NULL;
