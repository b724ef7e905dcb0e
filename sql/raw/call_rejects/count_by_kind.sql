-- Rejected call landing records of the given kinds ($kinds), all loads.
SELECT count(*) FROM raw.call_rejects WHERE list_contains($kinds, kind);
