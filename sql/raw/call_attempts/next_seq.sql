-- The next free seq of the attempt ledger (read under the ledger lock, right before an append).
SELECT coalesce(max(seq), 0) + 1 FROM raw.call_attempts;
