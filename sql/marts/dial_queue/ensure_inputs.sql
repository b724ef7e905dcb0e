-- Make sure every input of the dial queue exists (empty) so a fresh warehouse builds an empty queue
-- instead of failing: marts.lead_status (journeys), marts.suppression_list (leads),
-- raw.call_attempts (the ledger copy).
CREATE SCHEMA IF NOT EXISTS marts;
CREATE TABLE IF NOT EXISTS marts.lead_status (
    lead_id VARCHAR, phone_e164 VARCHAR, business_name VARCHAR, is_synthetic BOOLEAN, status VARCHAR,
    attempts BIGINT, last_call_ts TIMESTAMP, last_outcome VARCHAR, captured_email VARCHAR
);
