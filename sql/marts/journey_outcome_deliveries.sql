-- marts.journey_outcome_deliveries: the ledger of journey rows delivered to the n8n outcome webhook
-- (one row per call_id, written only after n8n answered 2xx), so each row is pushed exactly once.
CREATE TABLE IF NOT EXISTS marts.journey_outcome_deliveries (
    call_id VARCHAR PRIMARY KEY,
    outcome VARCHAR NOT NULL,
    batch_id VARCHAR NOT NULL,
    delivered_at TIMESTAMP NOT NULL
);
