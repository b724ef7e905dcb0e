-- marts.journey_outcome_deliveries: the ledger of journey rows delivered to the n8n outcome webhook
-- (one row per call_id with the outcome n8n last received, written only after a 2xx), so each
-- outcome of a call is pushed exactly once and a changed outcome is pushed again.
-- call_id is unique by construction (insert.sql merges by call_id); no PRIMARY KEY because DuckLake
-- has none: the blocking asset check `call_id_unique` asserts it.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE TABLE IF NOT EXISTS marts.journey_outcome_deliveries (
    call_id VARCHAR NOT NULL,  -- unique (see above)
    outcome VARCHAR NOT NULL,
    batch_id VARCHAR NOT NULL,
    delivered_at TIMESTAMP NOT NULL
);
