-- Make sure the call-side inputs of marts.campaign_daily exist (empty) before the first call sync.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE TABLE IF NOT EXISTS marts.call_features (call_id VARCHAR, answered BOOLEAN);
CREATE TABLE IF NOT EXISTS marts.customer_journeys (call_id VARCHAR, outcome VARCHAR);
