-- Record one delivered batch in the ledger (bound: $call_ids, $outcomes, $batch_id, $delivered_at).
INSERT INTO marts.journey_outcome_deliveries (call_id, outcome, batch_id, delivered_at)
SELECT unnest($call_ids::VARCHAR[]), unnest($outcomes::VARCHAR[]), $batch_id, $delivered_at
ON CONFLICT (call_id) DO NOTHING;
