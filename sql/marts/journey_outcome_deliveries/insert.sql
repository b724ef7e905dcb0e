-- Record one delivered batch in the ledger (bound: $call_ids, $outcomes, $batch_id, $delivered_at);
-- a re-sent row (its outcome changed) replaces its earlier ledger entry.
INSERT INTO marts.journey_outcome_deliveries (call_id, outcome, batch_id, delivered_at)
SELECT unnest($call_ids::VARCHAR[]), unnest($outcomes::VARCHAR[]), $batch_id, $delivered_at
ON CONFLICT (call_id) DO UPDATE SET outcome = excluded.outcome, batch_id = excluded.batch_id,
                                    delivered_at = excluded.delivered_at;
