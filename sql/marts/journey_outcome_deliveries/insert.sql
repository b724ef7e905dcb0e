-- Record one delivered batch in the ledger (bound: $call_ids, $outcomes, $batch_id, $delivered_at);
-- a re-sent row (its outcome changed) replaces its earlier ledger entry (MERGE by call_id).
MERGE INTO marts.journey_outcome_deliveries AS t
USING (
    SELECT DISTINCT ON (call_id) call_id, outcome
    FROM (SELECT unnest($call_ids::VARCHAR[]) AS call_id, unnest($outcomes::VARCHAR[]) AS outcome)
) AS s
ON t.call_id = s.call_id
WHEN MATCHED THEN UPDATE SET outcome = s.outcome, batch_id = $batch_id, delivered_at = $delivered_at
WHEN NOT MATCHED THEN INSERT (call_id, outcome, batch_id, delivered_at)
    VALUES (s.call_id, s.outcome, $batch_id, $delivered_at);
